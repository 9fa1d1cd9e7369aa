/** Inputs shared by the unit and integration validation tests. */

export const VALID_ID = '6741f2a0c8e4d17a3b9f0e21';

/** Inputs every id argument must refuse. */
export const BAD_IDS: [string, string][] = [
  ['empty', ''],
  ['23 characters', VALID_ID.slice(1)],
  ['25 characters', `${VALID_ID}0`],
  ['upper-case hex', VALID_ID.toUpperCase()],
  ['non-hex letter', `${VALID_ID.slice(0, 23)}g`],
  ['path traversal', '../x'],
  ['encoded slash', '%2F'],
  ['unicode digits', '６７４１f2a0c8e4d17a3b9f0e21'],
  ['trailing newline', `${VALID_ID}\n`],
];

/** Inputs the clusterName argument must refuse. */
export const BAD_NAMES: [string, string][] = [
  ['empty', ''],
  ['65 characters', 'a'.repeat(65)],
  ['path traversal', '../x'],
  ['encoded slash', '%2F'],
  ['slash', 'a/b'],
  ['unicode letter', 'clüster'],
  ['leading hyphen', '-cluster'],
  ['space', 'my cluster'],
  ['query', 'a?x'],
  ['fragment', 'a#x'],
  ['backslash', 'a\\b'],
  ['NUL', 'a\u0000b'],
  ['dot', '.'],
];
