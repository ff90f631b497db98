// Copied as it is from worker-client-gen's runtime (generator/runtime/typescript/src/).
//
// Every error the client throws is a WorkerClientError:
//
//   WorkerClientError
//   ├── PayloadValidationError        the payload fails its schema (nothing was sent)
//   ├── APIConnectionError            no HTTP answer: refused, reset, DNS, ...
//   │   └── APITimeoutError           no answer within `timeout`
//   └── APIStatusError                a non-2xx answer: status, body, requestId
//       ├── BadRequestError           400
//       ├── AuthenticationError       401
//       ├── PermissionDeniedError     403
//       ├── NotFoundError             404
//       │   └── JobNotFoundError      404 from getJobStatus
//       ├── ConflictError             409
//       ├── UnprocessableEntityError  422
//       ├── RateLimitError            429
//       └── InternalServerError       5xx
//
// Messages and bodies never hold the api key or a credential value: the client redacts them
// before an error is built.

/** The root of every error this package throws. */
export class WorkerClientError extends Error {}

/** One problem found in a payload: where (a JSON pointer, "" for the payload) and what. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** The payload does not match its message schema; the request was not sent. */
export class PayloadValidationError extends WorkerClientError {
  /** The message type whose schema the payload failed. */
  readonly messageType: string;
  /** Every offending field, in schema order. */
  readonly issues: readonly ValidationIssue[];

  constructor(messageType: string, payloadType: string, issues: readonly ValidationIssue[]) {
    const listed = issues.map((i) => `${i.path === "" ? "(payload)" : i.path} ${i.message}`);
    super(`invalid ${messageType} payload (${payloadType}): ${listed.join("; ")}`);
    this.messageType = messageType;
    this.issues = issues;
  }
}

/** The server could not be reached, or the connection failed before an answer. */
export class APIConnectionError extends WorkerClientError {}

/** No answer arrived within the configured timeout. */
export class APITimeoutError extends APIConnectionError {}

/** The server answered with a non-2xx status. */
export class APIStatusError extends WorkerClientError {
  /** The HTTP status code. */
  readonly status: number;
  /** The response body: parsed JSON when it was JSON, else the text (undefined when empty). */
  readonly body: unknown;
  /** The server's X-Request-Id, for its logs. */
  readonly requestId: string | undefined;

  constructor(message: string, status: number, body: unknown, requestId: string | undefined) {
    super(message);
    this.status = status;
    this.body = body;
    this.requestId = requestId;
  }
}

/** 400: the request body was malformed. */
export class BadRequestError extends APIStatusError {}
/** 401: the api key is missing or wrong. */
export class AuthenticationError extends APIStatusError {}
/** 403: the api key may not do this. */
export class PermissionDeniedError extends APIStatusError {}
/** 404: unknown message type, or unknown job. */
export class NotFoundError extends APIStatusError {}
/** 404 from getJobStatus: no job has this id. */
export class JobNotFoundError extends NotFoundError {}
/** 409: the request conflicts with the server's state. */
export class ConflictError extends APIStatusError {}
/** 422: the server rejected the payload against its schema (see `body.details`). */
export class UnprocessableEntityError extends APIStatusError {}
/** 429: rate limited; retried honouring Retry-After until maxRetries is spent. */
export class RateLimitError extends APIStatusError {}
/** 5xx: the server failed; retried until maxRetries is spent. */
export class InternalServerError extends APIStatusError {}

// The name is set on each prototype (not as an instance field) so that it is already right
// when Error captures the stack, and so it does not show up as an own property.
for (const [errorClass, name] of [
  [WorkerClientError, "WorkerClientError"],
  [PayloadValidationError, "PayloadValidationError"],
  [APIConnectionError, "APIConnectionError"],
  [APITimeoutError, "APITimeoutError"],
  [APIStatusError, "APIStatusError"],
  [BadRequestError, "BadRequestError"],
  [AuthenticationError, "AuthenticationError"],
  [PermissionDeniedError, "PermissionDeniedError"],
  [NotFoundError, "NotFoundError"],
  [JobNotFoundError, "JobNotFoundError"],
  [ConflictError, "ConflictError"],
  [UnprocessableEntityError, "UnprocessableEntityError"],
  [RateLimitError, "RateLimitError"],
  [InternalServerError, "InternalServerError"],
] as const) {
  Object.defineProperty(errorClass.prototype, "name", {
    value: name,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

type StatusErrorClass = new (
  message: string,
  status: number,
  body: unknown,
  requestId: string | undefined,
) => APIStatusError;

/** The error class for a status code. */
export function statusErrorClass(status: number, jobLookup: boolean): StatusErrorClass {
  switch (status) {
    case 400:
      return BadRequestError;
    case 401:
      return AuthenticationError;
    case 403:
      return PermissionDeniedError;
    case 404:
      return jobLookup ? JobNotFoundError : NotFoundError;
    case 409:
      return ConflictError;
    case 422:
      return UnprocessableEntityError;
    case 429:
      return RateLimitError;
    default:
      return status >= 500 ? InternalServerError : APIStatusError;
  }
}
