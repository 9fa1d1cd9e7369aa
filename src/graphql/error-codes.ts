/** What one `extensions.code` means: the translator reads `message` and `http`, docs/errors.md prints every column. */
export interface ErrorCodeRow {
  /** How the translator's message starts (it adds the details). */
  message: string;
  /**
   * The HTTP status when the error ends the request (no `data`), in Yoga's terms: `spec` statuses
   * apply under `application/graphql-response+json` only (GraphQL over HTTP); `application/json` gets 200.
   * Absent: the code only comes as a field error, beside `data`, in a 200 response. A code with a
   * status may come as a field error too (see `when`).
   */
  http?: { status: number; spec?: boolean };
  /** When a caller sees it. */
  when: string;
  /** The extensions that come with it besides `code`. */
  extensions: string;
  /** What the caller should do. */
  action: string;
}

/**
 * Every `extensions.code` this API answers with: the one table the translator (errors.ts) and
 * docs/errors.md (`npm run docs`) are made from.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: {
    message: 'Atlas rejected the request as invalid',
    http: { status: 400 },
    when: 'As a field error: an argument, a mutation input or an `_entities` representation is not in the documented format (checked before any Atlas call; a restore’s `confirmTargetClusterName` that does not repeat the target’s name; an `idempotencyKey` reused with another input), a dry run found the input names something Atlas cannot act on, or Atlas answered 400 (or 405 to a cancel of a sharded cluster’s restore job). As a request error: a variable of the wrong type.',
    extensions:
      '`argument`: the argument at fault (e.g. `clusterName`, `representations[2].__typename`); `atlas` when Atlas answered; `hint` when Atlas said the name is a Flex cluster (naming the Flex queries).',
    action: 'Fix the input; the message states the expected format. Retrying unchanged fails the same way.',
  },
  UNAUTHENTICATED: {
    message: 'Atlas did not accept the configured credentials',
    http: { status: 401 },
    when: 'As a request error: the caller sent no accepted API key or JWT (with `www-authenticate: Bearer`; nothing runs). As a field error: Atlas refused the server’s credentials (Atlas 401, a token endpoint refusal, no bearer token to forward).',
    extensions: '`atlas` when Atlas answered.',
    action:
      'Send `Authorization: Bearer <key or JWT>` or `x-api-key` (in forward mode `x-api-key` only: `Authorization` carries your Atlas token). As a field error, the operator’s Atlas credentials need fixing.',
  },
  FORBIDDEN: {
    message: 'The Atlas credentials lack permission for this resource',
    when: 'The caller lacks the scope a field needs (`Forbidden: this needs the backups:download scope; …`; checked before the field runs, no Atlas call made; see docs/security.md). Or Atlas answered 403: the credentials lack a role for the resource.',
    extensions:
      'For a scope: `scope` (the one missing) and `heldScopes` (what the caller holds). For Atlas: `atlas`; `hint` naming the role when the operation needs more than Project Read Only (serverless restore jobs and the backup compliance policy need Project Owner, export jobs and restore jobs of dedicated clusters Project Backup Manager).',
    action:
      'A scope: call with a key or token that carries it (the operator grants it in `AUTH_API_KEYS` or the identity provider). Atlas: grant the role the hint names to the service account or API key, or ask for something else.',
  },
  NOT_FOUND: {
    message: 'Atlas has no such resource',
    when: 'Atlas answered 404, or neither the Flex nor the retired serverless API holds the instance (routing).',
    extensions:
      '`atlas` (for routing: the Flex API’s answer); `hint` naming the dedicated-cluster query when a serverless name turns out to be a dedicated cluster.',
    action: 'Check the ids and names. Retrying unchanged fails the same way.',
  },
  CONFLICT: {
    message: 'Atlas reported a conflict',
    when: 'Atlas answered 409, or refused a write because of the resource’s state (an on-demand snapshot still in progress, a restore job already finished, a snapshot not completed), or a mutation’s dry run found such a state before sending.',
    extensions: '`atlas`.',
    action: 'Read `atlas.detail`; retry once the conflicting operation in Atlas has finished.',
  },
  RATE_LIMITED: {
    message: 'Atlas rate limit reached',
    when: 'Atlas answered 429, or calls to that endpoint family and project are paused after a 429 with `Retry-After` (no call made), or the service’s own Atlas rate budget (`ATLAS_RATE_LIMIT_PER_MINUTE`, shared by the fleet) has no call free within `ATLAS_RATE_WAIT_MS` (no call made), or this caller has made `CALLER_MAX_ATLAS_CALLS_PER_MINUTE` Atlas calls this minute (no call made).',
    extensions: '`retryAfterSeconds` when known; `atlas` when Atlas answered.',
    action: 'Retry after `retryAfterSeconds` (or with back-off).',
  },
  UPSTREAM_ERROR: {
    message: 'Atlas failed to answer',
    when: 'Atlas answered 5xx, 406 or 410 (our API version is wrong or retired); the connection failed; a body was not the documented shape; the circuit breaker is open; the token endpoint failed.',
    extensions:
      '`atlas` when Atlas answered; `problems` for a body of the wrong shape; `retryAfterSeconds` while the circuit is open.',
    action: 'Retry later with back-off. 406/410 need a new release of this service.',
  },
  UPSTREAM_OUTCOME_UNKNOWN: {
    message: 'Atlas may or may not have done it',
    when: 'A mutation’s write left for Atlas and no answer says what became of it: the connection dropped after the request was sent, a deadline passed, Atlas or a gateway answered 5xx, or the answer was unreadable. It is never sent again (Atlas has no idempotency key: a second POST could start a second restore); a repeat with the same `idempotencyKey` gets this same error.',
    extensions: '`operation`: the Atlas operation.',
    action:
      'Check before retrying: the message says which query shows whether it took effect (e.g. `clusterRestoreJobs` for a restore). Retry with a new `idempotencyKey` only if it did not.',
  },
  UPSTREAM_TIMEOUT: {
    message: 'Atlas did not answer in time',
    when: 'An Atlas call passed its deadline (`ATLAS_TIMEOUT_MS`, every retry included).',
    extensions: '—',
    action: 'Retry later; ask for smaller pages if it keeps happening.',
  },
  QUERY_TOO_EXPENSIVE: {
    message: 'This request asks for too much',
    http: { status: 400, spec: true },
    when: 'The operation exceeds a limit before it runs (aliases, depth, tokens, directives, cost, list items, `_entities` representations, introspection nesting): a request error. Or, as a field error, the request ran out of Atlas calls (`UPSTREAM_MAX_KEYS`) or Atlas bytes (`UPSTREAM_MAX_BYTES_PER_REQUEST`). Or its response would be larger than `GRAPHQL_MAX_RESPONSE_BYTES`: a request error that replaces the data.',
    extensions: '`maxCalls` or `maxBytes` for the per-request budgets; `maxResponseBytes` for the response size.',
    action: 'Ask for less in one request: smaller `first`, fewer aliases or representations; split the operation.',
  },
  SERVER_BUSY: {
    message: 'The service is busy',
    when: 'Requests in flight together hold more Atlas response bytes than `UPSTREAM_MAX_BYTES_IN_FLIGHT`, or this caller’s requests more than `CALLER_MAX_BYTES_IN_FLIGHT`.',
    extensions: '`retryAfterSeconds`.',
    action: 'Retry after `retryAfterSeconds`.',
  },
  REQUEST_CANCELLED: {
    message: 'The request was cancelled',
    when: 'The client went away before its fields resolved; the Atlas calls left were cancelled.',
    extensions: '—',
    action: 'Nothing: nobody is left to read it. It shows in logs, not in the error metrics.',
  },
  TOO_MANY_SUBSCRIPTIONS: {
    message: 'Too many live subscriptions',
    when: 'A subscription past `SUBSCRIPTION_MAX_PER_CONNECTION` (one WebSocket connection), `SUBSCRIPTION_MAX_TOTAL` (the process) or `SUBSCRIPTION_MAX_RESOURCES` (resources polled at once), or the process’s heap is over 80% full (`limit: HEAP`; each subscription holds about 20 KB); nothing is polled for it.',
    extensions:
      '`limit`: the variable whose limit was reached (or `HEAP`); `max` (for `HEAP`, the share of the heap in %).',
    action: 'Close subscriptions you no longer need, or watch a cluster’s activity instead of each of its snapshots.',
  },
  PAYLOAD_TOO_LARGE: {
    message: 'The request body is too large',
    http: { status: 413 },
    when: 'The request body is larger than `MAX_BODY_BYTES`, chunked or not.',
    extensions: '—',
    action: 'Send a smaller document; pass large inputs as variables only when they fit.',
  },
  BAD_REQUEST: {
    message: 'The request is not a GraphQL request this server accepts',
    http: { status: 400 },
    when: 'The HTTP request itself is wrong: a body that is not JSON, no query (HTTP 200 under `application/json`), a mutation sent by GET (HTTP 405), a browser request with neither a JSON content type nor the CSRF header `x-graphql-yoga-csrf` (HTTP 403).',
    extensions: '—',
    action: 'Send a GraphQL-over-HTTP request: `POST` with `content-type: application/json`.',
  },
  GRAPHQL_PARSE_FAILED: {
    message: 'The document is not valid GraphQL',
    http: { status: 400, spec: true },
    when: 'The document does not parse.',
    extensions: '—',
    action: 'Fix the syntax; the message and `locations` point at it.',
  },
  GRAPHQL_VALIDATION_FAILED: {
    message: 'The document does not match the schema',
    http: { status: 400, spec: true },
    when: 'The document asks for fields, arguments or operation types the schema does not have (e.g. a subscription), or `_service` where `FEDERATION_SERVICE_SDL` turns it off.',
    extensions: '—',
    action: 'Fix the document against `schema.graphql` or introspection.',
  },
  PERSISTED_DOCUMENT_NOT_FOUND: {
    message: 'No trusted document has this id',
    http: { status: 400, spec: true },
    when: 'The request names a persisted document (`documentId`, or `extensions.persistedQuery.sha256Hash`) that the manifest (`PERSISTED_DOCUMENTS_FILE`) does not hold, or the server has no manifest. Nothing runs, no Atlas call.',
    extensions: '`documentId`: the id asked for, when it is a sha256 hash.',
    action:
      'Deploy the manifest your frontend build wrote (`npm run codegen`) to the server before the frontend that sends its ids; meanwhile, with `PERSISTED_DOCUMENTS_ONLY=false`, send the document text.',
  },
  PERSISTED_DOCUMENT_REQUIRED: {
    message: 'This server runs trusted documents only',
    http: { status: 400, spec: true },
    when: '`PERSISTED_DOCUMENTS_ONLY=true` and the request sends a document as text (`query`), over HTTP or WebSocket, or names no document at all. Nothing runs, no Atlas call. GraphiQL’s requests get it too.',
    extensions: '—',
    action:
      'Send the id of a document of the manifest (`documentId: "sha256:<hash>"` or `extensions.persistedQuery.sha256Hash`), without `query`: a client generated by `@graphql-codegen/client-preset` does (docs/trusted-documents.md).',
  },
  INTERNAL_SERVER_ERROR: {
    message: 'Unexpected error',
    http: { status: 500 },
    when: 'Anything unexpected (a bug), as a field error or, with no `data`, a request error. The message is "Unexpected error.", with no stack and no detail.',
    extensions: '—',
    action: 'Report it with the response’s `x-request-id`; the server log has the details under that id.',
  },
} as const satisfies Record<string, ErrorCodeRow>;

/** The stable `extensions.code` values of this API. */
export type ErrorCode = keyof typeof ERROR_CODES;
