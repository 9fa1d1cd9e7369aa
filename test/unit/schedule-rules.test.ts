import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backupScheduleSchema } from '../../src/atlas/backup-schedule.js';
import { scheduleUpdateBody } from '../../src/backups/schedule-body.js';
import { scheduleUpdateSchema } from '../../src/backups/schedule-rules.js';
import { violations } from '../cloud-backup-spec.js';

// The rules of a backup schedule update: every rule accepted and refused, with the path of the
// offending field; then the PATCH body built from a validated update, against the recordings
// (test/fixtures/atlas-examples, a copy of ../shared/atlas/examples) and the spec's request schemas.

const FIXTURES = new URL('../fixtures/atlas-examples/', import.meta.url);
/** The recorded answer of getBackupSchedule: the default schedule of a new M10 (README §10.3). */
const recordedSchedule = backupScheduleSchema.parse(
  JSON.parse(readFileSync(new URL('getBackupSchedule/observed-schedule-describe.200.json', FIXTURES), 'utf8')),
);
const recordedPolicy = recordedSchedule.policies[0]!;

type Unit = 'days' | 'weeks' | 'months' | 'years';
const item = (frequencyType: string, frequencyInterval: number, retentionValue: number, retentionUnit: Unit) => ({
  frequencyType,
  frequencyInterval,
  retentionUnit,
  retentionValue,
});

/** README §10.3: hourly/6 → 7 d, daily → 7 d, weekly/6 → 4 w, monthly/40 → 12 mo, yearly/12 → 1 y. */
const DEFAULT_ITEMS = [
  item('hourly', 6, 7, 'days'),
  item('daily', 1, 7, 'days'),
  item('weekly', 6, 4, 'weeks'),
  item('monthly', 40, 12, 'months'),
  item('yearly', 12, 1, 'years'),
];

/** The problems of `input` as [path, message], none when it passes. */
function problems(input: unknown): [PropertyKey[], string][] {
  const result = scheduleUpdateSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => [issue.path, issue.message]);
}
/** The paths of the problems of `input`. */
const paths = (input: unknown) => problems(input).map(([path]) => path);
/** The problems of an update of `policyItems` alone. */
const itemProblems = (...policyItems: unknown[]) => problems({ policyItems });

describe('the default schedule', () => {
  it('as README §10.3 describes it passes, with its restore window and time', () => {
    expect(
      problems({ referenceHourOfDay: 3, referenceMinuteOfHour: 16, restoreWindowDays: 7, policyItems: DEFAULT_ITEMS }),
    ).toEqual([]);
  });

  it('as Atlas returned it passes, once its read-only ids are left out', () => {
    const policyItems = recordedPolicy.policyItems.map(({ id: _id, ...rest }) => rest);
    expect(policyItems).toEqual(DEFAULT_ITEMS);
    const { referenceHourOfDay, referenceMinuteOfHour, restoreWindowDays } = recordedSchedule;
    expect(problems({ referenceHourOfDay, referenceMinuteOfHour, restoreWindowDays, policyItems })).toEqual([]);
  });
});

describe('the settings', () => {
  it('an empty update is refused at the root', () => {
    expect(problems({})).toEqual([[[], 'an update must set at least one field']]);
    expect(problems({ referenceHourOfDay: undefined })).toEqual([[[], 'an update must set at least one field']]);
  });

  it('an unknown field is refused', () => {
    expect(paths({ referenceHourOfDay: 1, clusterName: 'x' })).toEqual([[]]);
    expect(problems({ referenceHourOfDay: 1, clusterName: 'x' })[0]![1]).toContain('clusterName');
  });

  it.each([
    ['referenceHourOfDay', [0, 23], [-1, 24, 1.5, '3', null, true]],
    ['referenceMinuteOfHour', [0, 59], [-1, 60, 0.5, '0', null]],
    ['restoreWindowDays', [1, 7, 2 ** 31 - 1], [0, -7, 2 ** 31, 2.5, '7', null]],
    ['autoExportEnabled', [true, false], [1, 'true', null]],
    ['useOrgAndGroupNamesInExportPrefix', [true, false], [0, 'false', null]],
  ])('%s takes %j and refuses %j', (field, good, bad) => {
    for (const value of good) expect(problems({ [field]: value }), String(value)).toEqual([]);
    for (const value of bad) expect(paths({ [field]: value }), String(value)).toEqual([[field]]);
  });

  it('says what a field takes', () => {
    expect(problems({ referenceHourOfDay: 24 })).toEqual([
      [['referenceHourOfDay'], 'must be an hour of the day (UTC), 0 to 23'],
    ]);
    expect(problems({ referenceMinuteOfHour: 60 })).toEqual([
      [['referenceMinuteOfHour'], 'must be a minute of the hour, 0 to 59'],
    ]);
    expect(problems({ restoreWindowDays: 0 })).toEqual([[['restoreWindowDays'], 'must be at least 1 day']]);
    expect(problems({ restoreWindowDays: 2 ** 31 })).toEqual([
      [['restoreWindowDays'], 'must be at most 2147483647 (int32)'],
    ]);
  });

  it('updateSnapshots comes only with policyItems', () => {
    const message =
      'updateSnapshots applies the retention of new policyItems to existing snapshots: set policyItems too';
    expect(problems({ updateSnapshots: true })).toEqual([[['updateSnapshots'], message]]);
    expect(problems({ updateSnapshots: false, referenceHourOfDay: 2 })).toEqual([[['updateSnapshots'], message]]);
    expect(problems({ updateSnapshots: true, policyItems: DEFAULT_ITEMS })).toEqual([]);
    expect(paths({ updateSnapshots: 'yes', policyItems: DEFAULT_ITEMS })).toEqual([['updateSnapshots']]);
  });

  it('reports every problem at once', () => {
    expect(paths({ referenceHourOfDay: 24, referenceMinuteOfHour: -1, restoreWindowDays: 0 })).toEqual([
      ['referenceHourOfDay'],
      ['referenceMinuteOfHour'],
      ['restoreWindowDays'],
    ]);
  });
});

describe('a policy item', () => {
  const yearLong = (frequencyType: string, frequencyInterval: number) =>
    item(frequencyType, frequencyInterval, 1, 'years');

  it('policyItems holds 1 to 50 items', () => {
    expect(problems({ policyItems: [] })).toEqual([
      [
        ['policyItems'],
        'must hold at least one item (this API does not stop scheduled snapshots: that is deleting the schedule, done in Atlas)',
      ],
    ]);
    expect(paths({ policyItems: null })).toEqual([['policyItems']]);
    const many = [
      yearLong('hourly', 1),
      yearLong('daily', 1),
      ...[1, 2, 3, 4, 5, 6, 7].map((day) => yearLong('weekly', day)),
      ...[...Array.from({ length: 28 }, (_, i) => i + 1), 40].map((day) => yearLong('monthly', day)),
      ...Array.from({ length: 12 }, (_, i) => yearLong('yearly', i + 1)),
    ];
    expect(many).toHaveLength(50);
    expect(itemProblems(...many)).toEqual([]);
    expect(itemProblems(...many, yearLong('weekly', 1))).toContainEqual([
      ['policyItems'],
      'must hold at most 50 items',
    ]);
  });

  it.each([
    ['frequencyType', ['ondemand', 'HOURLY', 'minutely', 1, null]],
    ['frequencyInterval', [1.5, '1', null]],
    ['retentionUnit', ['DAYS', 'hours', null]],
    ['retentionValue', [0, -1, 1.5, 2 ** 31, '7', null]],
  ])('%s refuses %j', (field, bad) => {
    for (const value of bad) {
      expect(paths({ policyItems: [{ ...yearLong('daily', 1), [field]: value }] }), String(value)).toEqual([
        ['policyItems', 0, field],
      ]);
    }
  });

  it('refuses a missing field and an unknown one (ids are read-only)', () => {
    const { retentionUnit: _unit, ...noUnit } = yearLong('daily', 1);
    expect(paths({ policyItems: [noUnit] })).toEqual([['policyItems', 0, 'retentionUnit']]);
    expect(paths({ policyItems: [{ ...yearLong('daily', 1), id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }] })).toEqual([
      ['policyItems', 0],
    ]);
  });

  it.each([
    ['hourly', [1, 2, 4, 6, 8, 12], 'hourly items take frequencyInterval 1, 2, 4, 6, 8 or 12'],
    ['daily', [1], 'daily items take frequencyInterval 1'],
    ['weekly', [1, 2, 3, 4, 5, 6, 7], 'weekly items take frequencyInterval 1 (Monday) to 7 (Sunday)'],
    [
      'monthly',
      [...Array.from({ length: 28 }, (_, i) => i + 1), 40],
      'monthly items take frequencyInterval 1 to 28 (day of the month) or 40 (last day of the month)',
    ],
    [
      'yearly',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      'yearly items take frequencyInterval 1 (January) to 12 (December)',
    ],
  ])('%s items take frequencyInterval %j', (frequency, allowed, message) => {
    for (let interval = -1; interval <= 41; interval++) {
      const expected = allowed.includes(interval) ? [] : [[['policyItems', 1, 'frequencyInterval'], message]];
      expect(itemProblems(yearLong('daily', 1), yearLong(frequency, interval)), `${interval}`).toEqual(
        frequency === 'daily' && allowed.includes(interval)
          ? [[['policyItems', 1, 'frequencyType'], 'a schedule has one daily item at most: item 0 is daily already']]
          : expected,
      );
    }
  });
});

describe('the items together', () => {
  it('one hourly and one daily item at most', () => {
    expect(itemProblems(item('hourly', 6, 2, 'days'), item('hourly', 12, 2, 'days'))).toEqual([
      [['policyItems', 1, 'frequencyType'], 'a schedule has one hourly item at most: item 0 is hourly already'],
    ]);
    expect(
      itemProblems(item('daily', 1, 7, 'days'), item('weekly', 6, 4, 'weeks'), item('daily', 1, 7, 'days')),
    ).toEqual([
      [['policyItems', 2, 'frequencyType'], 'a schedule has one daily item at most: item 0 is daily already'],
    ]);
  });

  it('weekly, monthly and yearly items may repeat, on different intervals', () => {
    expect(itemProblems(item('weekly', 6, 4, 'weeks'), item('weekly', 7, 8, 'weeks'))).toEqual([]);
    expect(itemProblems(item('monthly', 1, 12, 'months'), item('monthly', 40, 12, 'months'))).toEqual([]);
    expect(itemProblems(item('weekly', 6, 4, 'weeks'), item('weekly', 6, 8, 'weeks'))).toEqual([
      [['policyItems', 1, 'frequencyInterval'], 'item 0 is already the weekly item on frequencyInterval 6'],
    ]);
    expect(paths({ policyItems: [item('yearly', 12, 1, 'years'), item('yearly', 12, 2, 'years')] })).toEqual([
      ['policyItems', 1, 'frequencyInterval'],
    ]);
  });

  it.each([
    ['weekly', 6, 'days', 7, '1 week (7 days)'],
    ['weekly', 7, 'days', 8, undefined],
    ['weekly', 1, 'weeks', 1, undefined],
    ['weekly', 1, 'months', 1, undefined],
    ['monthly', 30, 'days', 31, '1 month (31 days)'],
    ['monthly', 4, 'weeks', 5, '1 month (31 days)'],
    ['monthly', 1, 'months', 1, undefined],
    ['yearly', 11, 'months', 12, '1 year (12 months, 365 days)'],
    ['yearly', 364, 'days', 365, '1 year (12 months, 365 days)'],
    ['yearly', 52, 'weeks', 53, '1 year (12 months, 365 days)'],
    ['yearly', 1, 'years', 1, undefined],
  ] as const)('a %s item keeping %i %s is refused, %i is not', (frequency, short, unit, enough, floor) => {
    const interval = frequency === 'weekly' ? 6 : 1;
    if (floor) {
      const described = `${short} ${unit}`; // every short retention here is plural
      expect(itemProblems(item(frequency, interval, short, unit))).toEqual([
        [
          ['policyItems', 0, 'retentionValue'],
          `the ${frequency} item keeps snapshots for ${described}: a ${frequency} item must keep them at least ${floor}`,
        ],
      ]);
    }
    expect(itemProblems(item(frequency, interval, enough, unit))).toEqual([]);
  });

  it('a less frequent item keeps its snapshots at least as long as a more frequent one', () => {
    expect(itemProblems(item('daily', 1, 7, 'days'), item('weekly', 6, 3, 'days'))).toEqual([
      [
        ['policyItems', 1, 'retentionValue'],
        'the weekly item keeps snapshots for 3 days: a weekly item must keep them at least 1 week (7 days)',
      ],
      [
        ['policyItems', 1, 'retentionValue'],
        "the weekly item keeps snapshots for 3 days, less than the daily item's 7 days: a less frequent item must keep its snapshots at least as long",
      ],
    ]);
    // Whatever the order of the list.
    expect(itemProblems(item('weekly', 6, 8, 'days'), item('hourly', 6, 9, 'days'))).toEqual([
      [
        ['policyItems', 0, 'retentionValue'],
        "the weekly item keeps snapshots for 8 days, less than the hourly item's 9 days: a less frequent item must keep its snapshots at least as long",
      ],
    ]);
    expect(paths({ policyItems: [item('hourly', 6, 3, 'days'), item('daily', 1, 2, 'days')] })).toEqual([
      ['policyItems', 1, 'retentionValue'],
    ]);
    expect(itemProblems(item('hourly', 6, 3, 'days'), item('daily', 1, 3, 'days'))).toEqual([]);
  });

  it.each([
    // days and weeks exactly: a week is 7 days
    [item('daily', 1, 7, 'days'), item('weekly', 6, 1, 'weeks'), true],
    [item('daily', 1, 1, 'weeks'), item('weekly', 6, 7, 'days'), true],
    [item('daily', 1, 8, 'days'), item('weekly', 6, 1, 'weeks'), false],
    // months and years exactly: a year is 12 months (the default schedule's monthly and yearly items)
    [item('monthly', 40, 12, 'months'), item('yearly', 12, 1, 'years'), true],
    [item('monthly', 40, 13, 'months'), item('yearly', 12, 1, 'years'), false],
    [item('monthly', 40, 24, 'months'), item('yearly', 12, 2, 'years'), true],
    // across the two, a month is 28 to 31 days and a year 365 or 366: refused only when shorter either way
    [item('weekly', 6, 4, 'weeks'), item('monthly', 1, 1, 'months'), true],
    [item('weekly', 6, 31, 'days'), item('monthly', 1, 1, 'months'), true],
    [item('weekly', 6, 32, 'days'), item('monthly', 1, 1, 'months'), false],
    [item('weekly', 6, 5, 'weeks'), item('monthly', 1, 1, 'months'), false],
    [item('daily', 1, 1, 'months'), item('weekly', 6, 28, 'days'), true],
    [item('daily', 1, 1, 'months'), item('weekly', 6, 27, 'days'), false],
    [item('daily', 1, 366, 'days'), item('yearly', 1, 1, 'years'), true],
    [item('daily', 1, 367, 'days'), item('yearly', 1, 1, 'years'), false],
    [item('weekly', 6, 52, 'weeks'), item('monthly', 1, 12, 'months'), true],
    [item('weekly', 6, 53, 'weeks'), item('monthly', 1, 12, 'months'), false],
    [item('daily', 1, 1, 'years'), item('weekly', 6, 364, 'days'), false],
    [item('daily', 1, 1, 'years'), item('weekly', 6, 365, 'days'), true],
  ])('%j then %j: accepted %s', (frequent, rarer, accepted) => {
    const found = paths({ policyItems: [frequent, rarer] });
    expect(found).toEqual(accepted ? [] : [['policyItems', 1, 'retentionValue']]);
  });

  it('leaves an item refused on its own out of the rules between items', () => {
    expect(problems({ policyItems: [item('daily', 1, 7, 'days'), item('weekly', 6, 0, 'days')] })).toEqual([
      [['policyItems', 1, 'retentionValue'], 'must be at least 1'],
    ]);
    expect(paths({ policyItems: [item('hourly', 3, 2, 'days'), item('hourly', 6, 2, 'days')] })).toEqual([
      ['policyItems', 0, 'frequencyInterval'],
    ]);
  });
});

describe('the PATCH body', () => {
  const REQUEST_SCHEMAS = [
    '#/components/schemas/DiskBackupSnapshotSchedule',
    '#/components/schemas/DiskBackupSnapshotSchedule20240805',
  ];
  const build = (input: unknown, current = recordedPolicy.policyItems) =>
    scheduleUpdateBody(scheduleUpdateSchema.parse(input), recordedPolicy.id!, current);

  it('settings alone: only what the update sets, and no policies (the recorded PATCH answered 200)', () => {
    const body = build({ useOrgAndGroupNamesInExportPrefix: true, referenceHourOfDay: undefined });
    expect(body).toStrictEqual({ useOrgAndGroupNamesInExportPrefix: true });
    // The spec marks `policies` required: that is the body's one departure from both request schemas.
    for (const ref of REQUEST_SCHEMAS) {
      expect(violations('updateBackupSchedule', ref, body).map((e) => [e.keyword, e.params])).toEqual([
        ['required', { missingProperty: 'policies' }],
      ]);
    }
    expect(build({ referenceHourOfDay: 0, referenceMinuteOfHour: 30, restoreWindowDays: 3 })).toStrictEqual({
      referenceHourOfDay: 0,
      referenceMinuteOfHour: 30,
      restoreWindowDays: 3,
    });
  });

  it('the default items: the policy Atlas recorded, ids and all', () => {
    const body = build({ policyItems: DEFAULT_ITEMS });
    expect(body).toStrictEqual({ policies: [{ id: recordedPolicy.id, policyItems: expect.any(Array) as unknown }] });
    expect(body.policies![0]).toEqual(recordedPolicy);
    for (const ref of REQUEST_SCHEMAS) expect(violations('updateBackupSchedule', ref, body)).toEqual([]);
  });

  it('a retention change with updateSnapshots keeps every id, so existing snapshots are re-timed', () => {
    const policyItems = DEFAULT_ITEMS.map((i) => (i.frequencyType === 'weekly' ? { ...i, retentionValue: 8 } : i));
    const body = build({ updateSnapshots: true, restoreWindowDays: 5, policyItems });
    expect(body.updateSnapshots).toBe(true);
    expect(body.restoreWindowDays).toBe(5);
    const sent = body.policies![0]!.policyItems;
    expect(sent.map((i) => i.id)).toEqual(recordedPolicy.policyItems.map((i) => i.id));
    expect(sent[2]).toStrictEqual({ id: recordedPolicy.policyItems[2]!.id, ...item('weekly', 6, 8, 'weeks') });
    for (const ref of REQUEST_SCHEMAS) expect(violations('updateBackupSchedule', ref, body)).toEqual([]);
  });

  it('an item takes the id of the same frequency and interval, else of the next unclaimed item of its frequency', () => {
    const [hourly, daily, weekly, monthly, yearly] = recordedPolicy.policyItems.map((i) => i.id);
    const current = [
      ...recordedPolicy.policyItems,
      { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', ...item('weekly', 7, 8, 'weeks') },
    ];
    const sent = build(
      {
        policyItems: [
          item('weekly', 7, 8, 'weeks'), // exact: Sunday's item
          item('weekly', 1, 4, 'weeks'), // Monday is new: takes Saturday's item, left unclaimed
          item('hourly', 4, 7, 'days'), // one hourly item: the current one, whatever its interval
          item('weekly', 3, 4, 'weeks'), // nothing left to claim: created
          item('monthly', 40, 12, 'months'),
        ],
      },
      current,
    ).policies![0]!.policyItems.map((i) => i.id);
    expect(sent).toEqual(['bbbbbbbbbbbbbbbbbbbbbbbb', weekly, hourly, undefined, monthly]);
    expect(sent).not.toContain(daily);
    expect(sent).not.toContain(yearly);
  });

  it('without current items, every item is new', () => {
    const body = build({ policyItems: [item('daily', 1, 7, 'days')] }, []);
    expect(body).toStrictEqual({
      policies: [{ id: recordedPolicy.id, policyItems: [item('daily', 1, 7, 'days')] }],
    });
    for (const ref of REQUEST_SCHEMAS) expect(violations('updateBackupSchedule', ref, body)).toEqual([]);
  });
});
