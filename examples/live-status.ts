// Live status of a restore job with urql's subscriptionExchange (issue #14): step 4 of the restore
// dialog (restore-flow.ts) without polling. `npm install @urql/core graphql graphql-sse` (SSE, the
// default: one HTTP stream per subscription, the caller's key in its headers) or `graphql-ws`
// (WebSocket: one socket, the key in `connectionParams`). The server polls Atlas once per job for
// all its watchers and pushes what changed: the job's state at once, then each change, and it
// completes the stream once the job is final.
//
// What `watchRestoreJobLive` does with each event:
// - the job: `onUpdate`; a final state ends the watch (`finished`).
// - a transient error (UPSTREAM_ERROR, RATE_LIMITED, …): the server keeps polling, the dialog keeps
//   the last job; the next successful poll sends the job again.
// - NOT_FOUND (the job is gone), FORBIDDEN, UNAUTHENTICATED (a refused key), BAD_USER_INPUT: the
//   server ends the stream; so does the watch, with that refusal.
// - the stream ends without a final state (the connection dropped, the server restarted): after
//   `retryMs` it subscribes again, and the first event is the job's state as it is then.
// urql keeps the previous event's errors on a result without any: read `data` first.
import {
  Client,
  type ExecutionResult,
  fetchExchange,
  subscriptionExchange,
  type SubscriptionForwarder,
} from '@urql/core';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { trustedDocumentsExchange } from './frontend-client.js';
import { graphql } from './gql/gql.js';
import {
  FINAL_STATES,
  pause,
  refusalOf,
  type RestoreJob,
  type RestoreJobKey,
  type RestoreWatchEnd,
} from './restore-flow.js';

/** One restore job's live status: its state now, then each change; the server completes it when the job is final. */
export const ClusterRestoreJobSubscription = graphql(`
  subscription ClusterRestoreJobLive($groupId: ID!, $clusterName: String!, $restoreJobId: ID!) {
    clusterRestoreJob(groupId: $groupId, clusterName: $clusterName, restoreJobId: $restoreJobId) {
      ...RestoreJobFields
    }
  }
`);

/** How the client reaches the server's subscriptions. */
export interface LiveStatusOptions {
  /** The caller's key or JWT, `{ 'x-api-key': … }` or `{ authorization: 'Bearer …' }`: on every request and stream. */
  headers?: Record<string, string>;
  /** `sse` (@default) or `ws` (WebSocket on the same URL). */
  transport?: 'sse' | 'ws';
  /** The WebSocket class where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /**
   * Send every document by its codegen hash alone (`extensions.persistedQuery`, an empty `query`),
   * for a server with PERSISTED_DOCUMENTS_ONLY=true (docs/trusted-documents.md). @default false
   */
  persisted?: boolean;
}

/** A urql client whose subscriptions stream (queries and mutations go over fetch); `dispose` closes the streams. */
export interface LiveStatusClient {
  client: Client;
  dispose(): void;
}

type Observer = Parameters<ReturnType<SubscriptionForwarder>['subscribe']>[0];

/** The server refused the caller: an SSE answer 401/403, or the WebSocket closed with 4403 on `connection_init`. */
function refused(error: unknown): boolean {
  const status = (error as { response?: { status?: number } } | null)?.response?.status;
  return status === 401 || status === 403 || (error as { code?: number } | null)?.code === 4403;
}

/**
 * What a transport hands urql. Each event is marked `hasNext`, so that urql reports the server's
 * `complete` as a last result with `hasNext: false`; a refused key becomes the GraphQL error a query
 * gets (UNAUTHENTICATED) rather than a network error.
 */
const relay = (observer: Observer) => ({
  next: (result: ExecutionResult) => observer.next({ ...result, hasNext: true }),
  error: (error: unknown) =>
    observer.error(
      refused(error)
        ? [{ message: 'The server refused the caller’s key or token.', extensions: { code: 'UNAUTHENTICATED' } }]
        : error,
    ),
  complete: () => observer.complete(),
});

/** A client for the service at `url` (its GraphQL URL: `https://…/graphql`). Retries are the watch's, not the transport's. */
export function createLiveStatusClient(url: string, options: LiveStatusOptions = {}): LiveStatusClient {
  const { headers = {}, transport = 'sse', webSocketImpl, persisted = false } = options;
  let forwardSubscription: SubscriptionForwarder;
  let dispose: () => void;
  if (transport === 'ws') {
    const ws = createWsClient({
      url: url.replace(/^http/, 'ws'),
      connectionParams: headers,
      retryAttempts: 0,
      ...(webSocketImpl === undefined ? {} : { webSocketImpl }),
    });
    forwardSubscription = ({ query = '', operationName, variables, extensions }) => ({
      subscribe: (observer) => ({
        unsubscribe: ws.subscribe({ query, operationName, variables, extensions }, relay(observer)),
      }),
    });
    dispose = () => void ws.dispose();
  } else {
    const sse = createSseClient({ url, headers, retryAttempts: 0 });
    forwardSubscription = ({ query = '', operationName, variables, extensions }) => ({
      subscribe: (observer) => ({
        unsubscribe: sse.subscribe({ query, operationName, variables, extensions }, relay(observer)),
      }),
    });
    dispose = () => sse.dispose();
  }
  const client = new Client({
    url,
    exchanges: [
      ...(persisted ? [trustedDocumentsExchange()] : []),
      subscriptionExchange({ forwardSubscription }),
      fetchExchange,
    ],
    preferGetMethod: false,
    fetchOptions: { headers },
  });
  return { client, dispose };
}

/** How to watch live: `onUpdate` on each state, until the job ends or `until` aborts; `retryMs` (@default 15000) before subscribing again after the stream ended early. */
export interface LiveWatchOptions {
  retryMs?: number;
  until?: AbortSignal;
  onUpdate?: (job: RestoreJob) => void;
}

/** One subscription: how it ended (`again`: early, without a final state or a refusal). */
function follow(
  client: Client,
  key: RestoreJobKey,
  until: AbortSignal | undefined,
  onJob: (job: RestoreJob) => void,
): Promise<RestoreWatchEnd | 'again' | 'aborted'> {
  return new Promise((resolve) => {
    let ended = false;
    const end = (how: RestoreWatchEnd | 'again' | 'aborted') => {
      if (ended) return;
      ended = true;
      until?.removeEventListener('abort', abort);
      // After this call returns: the subscription handle exists even if urql answered synchronously.
      void Promise.resolve().then(() => subscription.unsubscribe());
      resolve(how);
    };
    const abort = () => end('aborted');
    const subscription = client.subscription(ClusterRestoreJobSubscription, key).subscribe((result) => {
      const job = result.data?.clusterRestoreJob;
      if (job) {
        onJob(job);
        if (FINAL_STATES.has(job.state)) end({ kind: 'finished', job });
      } else if (result.error) {
        const refusal = refusalOf(result.error);
        // A read writes nothing: an unknown outcome is not the watch's to handle.
        if (refusal.kind === 'outcome-unknown')
          end({ kind: 'error', code: 'UPSTREAM_OUTCOME_UNKNOWN', message: refusal.message });
        else if (refusal.kind !== 'retry-later') end(refusal);
        else if (result.error.networkError) end('again');
      }
      if (result.hasNext === false) end('again');
    });
    if (until?.aborted) abort();
    else until?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * Step 4, live: follows `clusterRestoreJob` until the job is final, a refusal ends it, or `until`
 * aborts (the dialog closed). The same outcomes as `watchRestoreJob`, with no polling by the browser.
 */
export async function watchRestoreJobLive(
  client: Client,
  key: RestoreJobKey,
  { retryMs = 15_000, until, onUpdate }: LiveWatchOptions = {},
): Promise<RestoreWatchEnd> {
  let last: RestoreJob | null = null;
  for (;;) {
    if (until?.aborted) return { kind: 'stopped', job: last };
    const how = await follow(client, key, until, (job) => {
      last = job;
      onUpdate?.(job);
    });
    if (how === 'aborted') return { kind: 'stopped', job: last };
    if (how !== 'again') return how;
    await pause(retryMs, until);
  }
}
