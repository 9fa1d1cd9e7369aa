/**
 * The shape of a JSON value: every key path with the JSON type found there (array elements merged
 * under `[]`), so that a simulated body can be compared with a recorded one key by key.
 */
export type Shape = Map<string, string>;

/** `value`'s shape; an empty array is its own type, so its elements are not expected elsewhere. */
export function shapeOf(value: unknown, path = '', out: Shape = new Map()): Shape {
  if (Array.isArray(value)) {
    out.set(path, value.length ? 'array' : 'empty array');
    for (const item of value) shapeOf(item, `${path}[]`, out);
  } else if (value === null) out.set(path, 'null');
  else if (typeof value === 'object') {
    out.set(path, 'object');
    for (const [key, item] of Object.entries(value)) shapeOf(item, `${path}.${key}`, out);
  } else out.set(path, typeof value);
  return out;
}

/** Whether `path` lies inside an array that is empty in `shape` (its elements are then unknown). */
const underEmptyArray = (shape: Shape, path: string) =>
  [...path.matchAll(/\[\]/g)].some((m) => shape.get(path.slice(0, m.index)) === 'empty array');

/**
 * How `simulated` differs from `recorded`: keys one has and the other lacks, and keys whose types
 * differ (an empty and a non-empty array agree; elements of an array empty on one side are skipped).
 */
export function shapeDifferences(recorded: Shape, simulated: Shape): string[] {
  const out: string[] = [];
  for (const [path, type] of recorded) {
    const mine = simulated.get(path);
    if (mine === undefined) {
      if (!underEmptyArray(simulated, path)) out.push(`missing ${path} (${type})`);
    } else if (mine !== type && !(mine.endsWith('array') && type.endsWith('array'))) {
      out.push(`${path}: ${mine}, recorded ${type}`);
    }
  }
  for (const [path, type] of simulated) {
    if (!recorded.has(path) && !underEmptyArray(recorded, path)) out.push(`extra ${path} (${type})`);
  }
  return out;
}
