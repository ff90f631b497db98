// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// @mesh-sync/worker-backend-client: a typed client for the Mesh-Sync worker-backend job API.

export {
  BaseWorkerClient,
  type Logger,
  type RequestOptions,
  type WorkerClientConfig,
} from "./baseClient.js";
export { WorkerClient } from "./client.js";
export { VERSION } from "./constants.js";
export * from "./errors.js";
export {
  MessageTypes,
  isMessageType,
  type MessagePayloads,
  type MessageType,
} from "./messageTypes.js";
export type * from "./responses.js";
export type * from "./types.js";
export { validatePayload } from "./validation.js";
