import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DitErrorLocation, received } from '../app/errors';
import type { Problems } from '../app/validation';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

// The golden charts ship with the package (charts/ beside src/ here, beside lib/ once built).
// Their values.schema.json is what helm and helm-controller refuse a release by, so synthesis
// checks the values against the same file instead of a copy of its rules.
const COMPILED = path.basename(path.resolve(__dirname, '..', '..')) === 'lib';
const CHARTS_DIR = path.resolve(__dirname, ...(COMPILED ? ['..', '..', '..'] : ['..', '..']), 'charts');
const validators = new Map<string, ValidateFunction>();

/** The compiled values schema of a golden chart, loaded once per process. */
function validatorFor(chart: string): ValidateFunction {
  let validate = validators.get(chart);
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = require(path.join(CHARTS_DIR, chart, 'values.schema.json')) as PlainObject;
    // Helm validates the values merged over the chart's values.yaml, which supplies every
    // top-level default: the release's own values need not repeat them.
    const { required: _defaults, ...withoutDefaults } = schema;
    // Loaded on first use: a tree with no golden release, and every CLI command that does not
    // synthesize, never pays for ajv.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    validate = new Ajv({ strict: false, allErrors: true }).compile(withoutDefaults);
    validators.set(chart, validate);
  }
  return validate;
}

/** Where a value of the release came from, for the message: a typed field or extraValues. */
export type ValueOrigin = (topLevelKey: string) => 'extraValues' | 'typed';

/**
 * Records every value of a golden release that its chart's values.schema.json refuses, each
 * with the field the user wrote (`extraValues.replicas`, `command`): what helm would refuse at
 * install time, refused at synthesis instead.
 */
export function checkAgainstChartSchema(chart: string, values: PlainObject, where: Omit<DitErrorLocation, 'field'>, origin: ValueOrigin, problems: Problems): void {
  const validate = validatorFor(chart);
  if (validate(values)) return;
  for (const error of validate.errors ?? []) {
    const keys = error.instancePath.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (error.keyword === 'additionalProperties') keys.push(String(error.params.additionalProperty));
    const field = keys.length === 0 ? 'values' : `${origin(keys[0]) === 'extraValues' ? 'extraValues.' : ''}${keys.join('.')}`;
    problems.add({ ...where, field }, describe(error, valueAt(values, keys), chart));
  }
}

function describe(error: ErrorObject, value: unknown, chart: string): string {
  const schema = `${chart}'s values.schema.json`;
  if (error.keyword === 'additionalProperties') return `is not a value ${chart} has; expected one of the keys ${schema} lists`;
  if (error.keyword === 'required') return `is missing ${String(error.params.missingProperty)}; ${schema} requires it`;
  return `got ${received(value)}; expected a value that ${error.message ?? 'matches'} (${schema})`;
}

function valueAt(values: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined), values);
}
