// Label values and the canonical series key of a metric's label set.
//
// Values come from events (agent ids, intent actions, …), so they are bounded before they become part of a
// DynamoDB key or a Prometheus line: at most MAX_LABEL_VALUE_BYTES of UTF-8 (cut at a character boundary;
// two long ids sharing that prefix share a series), control characters replaced by `?`, and an absent value
// is `unknown`. The series key is the labels sorted by name and written the way Prometheus writes them,
// `agent="a-1",tenant="acme"` with `\`, `"` and newlines escaped, so equal label sets always give the same
// key whatever order they were built in.

export type MetricLabels = Readonly<Record<string, string>>;

export const MAX_LABEL_VALUE_BYTES = 128;
export const UNKNOWN_LABEL_VALUE = 'unknown';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

export function boundLabelValue(value: string | undefined): string {
  if (value === undefined || value === '') return UNKNOWN_LABEL_VALUE;
  const printable = value.replace(CONTROL_CHARACTERS, '?');
  let bytes = 0;
  let bounded = '';
  for (const character of printable) {
    bytes += Buffer.byteLength(character, 'utf8');
    if (bytes > MAX_LABEL_VALUE_BYTES) break;
    bounded += character;
  }
  return bounded;
}

/** Every value bounded (boundLabelValue). */
export function boundLabels(labels: Readonly<Record<string, string | undefined>>): MetricLabels {
  return Object.fromEntries(Object.entries(labels).map(([name, value]) => [name, boundLabelValue(value)]));
}

/** `name="value",…` sorted by name, values escaped as in the Prometheus text format. */
export function seriesKey(labels: MetricLabels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escapeLabelValue(labels[name]!)}"`)
    .join(',');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
