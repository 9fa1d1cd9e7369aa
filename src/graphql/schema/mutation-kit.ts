import type { InputFieldMap, ObjectFieldsShape } from '@pothos/core';
import type { z } from 'zod';
import type { AtlasRequestView, BackupAction } from '../../backups/actions/action.js';
import type { ActionOutcome } from '../../backups/actions/action-runner.js';
import { isScope } from '../../config/scopes.js';
import { builder, type BuilderTypes } from './builder.js';
import { ClusterRef } from './cluster.js';

// The one way a backup action becomes a mutation (docs/backup-actions.md): Relay style — one
// `input` argument validated whole by the action's zod schema before anything runs (BAD_USER_INPUT
// naming the field, 0 Atlas calls), then the caller scope (FORBIDDEN naming it, 0 calls; Pothos maps
// arguments before any field wrapper, so validation comes first),
// `dryRun` and `idempotencyKey` on every input, and a payload with the result, the Atlas request,
// whether it was a replay, and `clientMutationId`. Failures are typed errors, as for queries.

builder.mutationType({
  description:
    'Backup actions on MongoDB Atlas: each needs its caller scope, takes `dryRun` and `idempotencyKey`, and is sent to Atlas at most once.',
});

/** `AtlasRequest`: the Atlas call a mutation made, or would make in a dry run. */
const AtlasRequestRef = builder.objectRef<AtlasRequestView>('AtlasRequest').implement({
  description: 'An Atlas Administration API request, exactly as this service sends it (without credentials).',
  fields: (t) => ({
    method: t.exposeString('method', { description: 'The HTTP method: POST, PATCH or DELETE.' }),
    path: t.exposeString('path', { description: 'The path on the Atlas origin, e.g. `/api/atlas/v2/groups/…`.' }),
    mediaType: t.exposeString('mediaType', {
      description: 'The versioned media type sent as `Accept` (and `Content-Type` with a body).',
    }),
    body: t.exposeString('body', { nullable: true, description: 'The JSON body, as sent; null for a DELETE.' }),
  }),
});

type InputFields = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;
type PayloadFields<Result> = ObjectFieldsShape<BuilderTypes, ActionOutcome<Result>>;

/** What a mutation adds to its action: its description, its own input fields and its payload's result fields. */
export interface ActionMutationOptions<Input, Result> {
  description: string;
  /** The action's input schema: the whole input is validated with it before anything runs. */
  schema: z.ZodType<Input>;
  /** The input fields besides `dryRun`, `idempotencyKey` and `clientMutationId`. */
  inputFields: (t: InputFields) => InputFieldMap;
  /** The payload fields besides `dryRun`, `replayed`, `atlasRequest` and `clientMutationId`. */
  resultFields: PayloadFields<Result>;
}

/** Defines the mutation `name` over `action` (see the file comment). */
export function actionMutation<Input extends Record<string, unknown>, Facts, Schema extends z.ZodType, Result>(
  name: string,
  action: BackupAction<Input, Facts, Schema, Result>,
  options: ActionMutationOptions<Input, Result>,
): void {
  builder.relayMutationField(
    name,
    {
      description: `The input of \`${name}\`.`,
      validate: options.schema,
      inputFields: (t) => ({
        ...options.inputFields(t),
        dryRun: t.boolean({
          required: false,
          defaultValue: false,
          description:
            'Validate, check with reads that Atlas would accept it, and answer with the request it would send (`atlasRequest`) without sending it.',
        }),
        idempotencyKey: t.string({
          required: false,
          description:
            'A key you make (1–64 visible ASCII characters, e.g. a UUID): a repeat with the same key and input within IDEMPOTENCY_TTL_S answers the first result without calling Atlas; the same key with another input is BAD_USER_INPUT.',
        }),
      }),
    },
    {
      description: options.description,
      // Null with a typed error when it fails, so one failed mutation does not null the others' payloads.
      nullable: true,
      authScopes: (_parent, args) => {
        const scope = action.scope(args.input as unknown as Input);
        // Fails closed: a scope this service does not know is held by nobody.
        return isScope(scope) ? { [scope]: true } : false;
      },
      resolve: (_parent, args, ctx, info) => {
        // The validation plugin has replaced the input by the schema's output (its argument mapper).
        const input = args.input as unknown as Input;
        // The runner audits this attempt; refusals before it are audited by refusedMutationAudit.
        (ctx.actionsRun ??= new Set()).add(String(info.path.key));
        return ctx.actions.run(action, input, {
          caller: ctx.caller,
          requestId: ctx.requestId,
          atlasIdentity: ctx.atlasIdentity,
          dryRun: input.dryRun === true,
          idempotencyKey: typeof input.idempotencyKey === 'string' ? input.idempotencyKey : undefined,
          loaders: ctx.loaders,
        });
      },
    },
    {
      description: `What \`${name}\` did.`,
      outputFields: (t) => ({
        ...options.resultFields(t),
        dryRun: t.exposeBoolean('dryRun', { description: 'True when nothing was sent (a dry run).' }),
        replayed: t.exposeBoolean('replayed', {
          description: 'True when this is the stored result of an earlier request with the same idempotencyKey.',
        }),
        cluster: t.field({
          type: ClusterRef,
          nullable: true,
          description:
            'The cluster acted on, read through this request’s loaders after the write: its lists (snapshots, restore jobs, exports) are read afresh, so they show the change.',
          resolve: ({ targets }, _args, ctx) =>
            ctx.loaders.cluster.load({ groupId: targets.groupId, clusterName: targets.clusterName }),
        }),
        atlasRequest: t.expose('request', {
          type: AtlasRequestRef,
          description: 'The Atlas request sent (or, in a dry run, that would be sent).',
        }),
      }),
    },
  );
}
