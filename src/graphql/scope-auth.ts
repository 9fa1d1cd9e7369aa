import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from '@pothos/plugin-scope-auth';
import { ALL_SCOPES, isScope, type Scope } from '../config/scopes.js';
import type { Context } from './context.js';

// The caller scopes as @pothos/plugin-scope-auth sees them. A field declares what it needs with
// `authScopes: { 'backups:restore': true }` (several keys: any one will do; `$all: {…}`: every one);
// the plugin checks before the resolver runs, so a refused field makes no Atlas call. A refusal is a
// MissingScopeError, which the one translator (errors.ts) turns into FORBIDDEN naming the scope.

/** The builder's `AuthScopes`: one boolean per caller scope. */
export type AuthScopes = Record<Scope, boolean>;

/** A field needs a scope its caller does not hold; nothing ran for it. */
export class MissingScopeError extends Error {
  constructor(
    /** The scopes the field asked for (the first is named in `extensions.scope`). */
    readonly needed: readonly Scope[],
    /** Whether any one of `needed` would have done (else every one is needed). */
    readonly anyOf: boolean,
    /** What the caller holds. */
    readonly held: readonly Scope[],
  ) {
    super(`needs ${needed.join(anyOf ? ' or ' : ' and ')}`);
    this.name = 'MissingScopeError';
  }
}

/** The scopes a failure of the plugin names, and whether any one of them would have done. */
function neededScopes(failure: AuthFailure): { needed: Scope[]; anyOf: boolean } {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return { needed: isScope(failure.scope) ? [failure.scope] : [], anyOf: true };
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes: {
      const needed = failure.failures.flatMap((child) => neededScopes(child).needed);
      return { needed: [...new Set(needed)], anyOf: failure.kind === AuthScopeFailureType.AnyAuthScopes };
    }
    default:
      return { needed: [], anyOf: true };
  }
}

/** The error of a refused field (or entity): what it needed, what the caller holds. */
export function missingScope(ctx: Context, result: ForbiddenResult): MissingScopeError {
  const { needed, anyOf } = neededScopes(result.failure);
  return new MissingScopeError(needed, anyOf, [...ctx.caller.scopes]);
}

/** The builder's `scopeAuth` options: each request's scopes come from its caller (context.ts). */
export const scopeAuthOptions = {
  authScopes: (ctx: Context): AuthScopes =>
    Object.fromEntries(ALL_SCOPES.map((scope) => [scope, ctx.caller.scopes.has(scope)])) as AuthScopes,
  unauthorizedError: (_parent: unknown, ctx: Context, _info: unknown, result: ForbiddenResult) =>
    missingScope(ctx, result),
  // A subscription's scopes are checked when it subscribes, before its poller starts — not per event.
  authorizeOnSubscribe: true,
};

/** What every query needs; put on the Query type (builder.ts) and on every entity (entity-keys.ts). */
export const READ_SCOPE = { 'backups:read': true } as const;

/**
 * The options of a field that hands out a download URL (it carries a token): it needs
 * `backups:download`, and is nullable so that a caller without it gets null and FORBIDDEN on that
 * field alone, the rest of the response intact.
 */
export const downloadUrlOptions = (description: string) =>
  ({
    nullable: true,
    description: `${description} Needs the \`backups:download\` scope: without it, null and FORBIDDEN.`,
    authScopes: { 'backups:download': true },
  }) as const;
