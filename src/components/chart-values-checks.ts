import { DitErrorLocation } from '../app/errors';
import { quantityProblem } from '../app/kubernetes-names';
import type { Problems } from '../app/validation';
import { imageRepositoryProblem } from '../images/image-reference';
import { ChartValues, ValuesContext, validateChartValues } from './chart-values';
import { SecurityOptOut, SecurityRelaxation, checkProtectedValues, relaxes } from './protected-values';
import { assertNoPlainSecrets, findCredentials } from './secrets';
import { isPlainObject } from '../tree/strategic-patch';

// Typed fields checked one at a time, so one bad field does not hide the next.
const SEPARATELY_CHECKED = ['replicas', 'securityContext', 'configs', 'ingress', 'extraValues'] as const;

/**
 * Records every problem of a golden chart's values (the base, or merged for one environment):
 * the typed checks of chart-values, quantities as Kubernetes parses them, the image
 * repository, credentials in annotations, and protected keys in extraValues.
 */
export function checkGoldenChartValues(values: ChartValues, ctx: ValuesContext, optOut: SecurityOptOut | undefined, problems: Problems): void {
  const where = (field: string): DitErrorLocation => ({ component: ctx.component, environment: ctx.environment?.name, field });
  const rest: Record<string, unknown> = { ...values };
  for (const key of SEPARATELY_CHECKED) {
    delete rest[key];
    if (values[key] === undefined) continue;
    // Root is the one securityContext check an opt-out relaxes.
    if (key === 'securityContext' && relaxes(optOut, SecurityRelaxation.RUN_AS_ROOT)) continue;
    problems.check(() => validateChartValues({ [key]: values[key], infisical: values.infisical }, ctx));
  }
  problems.check(() => validateChartValues(rest as ChartValues, ctx));
  const secretsPath = values.infisical?.secretsPath ?? `/${ctx.component}`;
  for (const [key, value] of Object.entries(values.configs ?? {})) {
    problems.check(() => assertNoPlainSecrets({ [key]: value }, where('configs'), secretsPath));
  }
  for (const kind of ['requests', 'limits'] as const) {
    const quantities: unknown = values.resources?.[kind];
    if (quantities === undefined) continue;
    if (!isPlainObject(quantities)) {
      problems.add(where(`resources.${kind}`), `got ${JSON.stringify(quantities)}; expected { cpu?, memory? }`);
      continue;
    }
    for (const [resource, quantity] of Object.entries(quantities)) {
      const problem = quantityProblem(quantity);
      if (problem) problems.add(where(`resources.${kind}.${resource}`), problem);
    }
  }
  const sealed = values.infisical?.sealedToken?.problem;
  if (sealed) problems.add(where('infisical.sealedToken'), sealed);
  if (values.image?.repository !== undefined) {
    const problem = imageRepositoryProblem(values.image.repository);
    if (problem) problems.add(where('image.repository'), problem);
  }
  for (const field of findCredentials(values.ingress?.annotations, 'ingress.annotations')) {
    problems.add(where(field), 'looks like a credential with a literal value, which would be committed in plain text; expected a reference to a Secret (for example an auth Secret\'s name) managed by Infisical or sealed');
  }
  checkProtectedValues(values.extraValues, where('extraValues'), 'golden-chart', optOut, problems);
}
