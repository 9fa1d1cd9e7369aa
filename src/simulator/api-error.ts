import { STATUS_CODES } from 'node:http';

/** An Atlas error to send: becomes the `ApiError` envelope with an `X-Error-Code` header. */
export class SimApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    readonly detail: string,
    readonly parameters: (string | number)[] = [],
  ) {
    super(detail);
  }

  /** The body Atlas sends: `{detail, error, errorCode, parameters, reason}`. */
  envelope(): Record<string, unknown> {
    return {
      detail: this.detail,
      error: this.status,
      errorCode: this.errorCode,
      parameters: this.parameters,
      reason: STATUS_CODES[this.status] ?? 'Error',
    };
  }
}

/** The error code the simulator uses for an injected status when the test gives no body. */
export const DEFAULT_ERROR_CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'NOT_ORG_GROUP_CREATOR',
  403: 'USER_UNAUTHORIZED',
  404: 'RESOURCE_NOT_FOUND',
  406: 'INVALID_VERSION_DATE',
  409: 'CANNOT_DELETE_ORG_ACTIVE_LIVE_MIGRATION_ATLAS_ORG_LINK',
  410: 'VERSION_GONE',
  429: 'RATE_LIMITED',
  500: 'UNEXPECTED_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};
