// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// Payload validation with ajv (JSON Schema 2020-12 and formats). A validator is compiled the
// first time its message type is used and cached for the life of the process.

import type { ErrorObject, ValidateFunction } from "ajv";
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

import { PayloadValidationError, WorkerClientError, type ValidationIssue } from "./errors.js";
import { isMessageType, type MessageType } from "./messageTypes.js";
import { PAYLOAD_TYPES, SCHEMA_DEFS } from "./schemas.js";

// ajv ships CommonJS; under Node's ESM interop its classes sit on `.default`.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const DEFS_ID = "urn:mesh-sync:worker-backend:schemas";

let compiler: InstanceType<typeof Ajv2020> | undefined;
const validators = new Map<string, ValidateFunction>();

function getCompiler(): InstanceType<typeof Ajv2020> {
  if (compiler === undefined) {
    // strict: false lets ajv skip the schemas' own annotations (x-secret, examples).
    compiler = new Ajv2020({ allErrors: true, strict: false });
    addFormats(compiler);
    compiler.addSchema({ $id: DEFS_ID, $defs: SCHEMA_DEFS });
  }
  return compiler;
}

function validatorFor(messageType: MessageType): ValidateFunction {
  if (!isMessageType(messageType)) {
    throw new WorkerClientError(`unknown message type ${JSON.stringify(String(messageType))}`);
  }
  let validate = validators.get(messageType);
  if (validate === undefined) {
    const ref = `${DEFS_ID}#/$defs/${PAYLOAD_TYPES[messageType]}`;
    validate = getCompiler().compile({ $ref: ref });
    validators.set(messageType, validate);
  }
  return validate;
}

function pointerPart(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return {
        path: `${error.instancePath}/${pointerPart(String(params["missingProperty"]))}`,
        message: "is required",
      };
    case "additionalProperties":
      return {
        path: `${error.instancePath}/${pointerPart(String(params["additionalProperty"]))}`,
        message: "is not a known field",
      };
    case "enum": {
      const allowed = (params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v));
      return { path: error.instancePath, message: `must be one of ${allowed.join(", ")}` };
    }
    default:
      // ajv's messages name the rule, never the offending value ("must be string").
      return { path: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** Every problem with a payload; empty when it matches its message schema. */
export function validatePayload(messageType: MessageType, payload: unknown): ValidationIssue[] {
  const validate = validatorFor(messageType);
  if (validate(payload)) {
    return [];
  }
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of validate.errors ?? []) {
    const issue = toIssue(error);
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/** Throws PayloadValidationError listing every problem, or returns when the payload is valid. */
export function assertValidPayload(messageType: MessageType, payload: unknown): void {
  const issues = validatePayload(messageType, payload);
  if (issues.length > 0) {
    throw new PayloadValidationError(messageType, PAYLOAD_TYPES[messageType], issues);
  }
}
