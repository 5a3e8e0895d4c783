import { GoldenPlanProps, InfisicalPlan, IngressRulePlan, PortPlan, ProjectPlan } from './component-plan';
import { receivesNothing } from './compose-project';

/** Options of {@link emitTypeScript}. */
export interface EmitOptions {
  /** Compose files the plan came from, for the header. */
  readonly sources: readonly string[];
  /** Module the definitions import from. @default 'dit-gitops' */
  readonly moduleName?: string;
}

const KEYWORDS = new Set(('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in '
  + 'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected '
  + 'public await app defineTeam ingressNginx require module').split(' '));

/**
 * The plan as a TypeScript definitions file: ordinary DitEnvironment, DitApi, DitClient and
 * DitHelmChart statements, in the order and with the props ComposeProject builds, so both
 * synthesize the same tree. The report goes in as comments; the team owns the file after.
 */
export function emitTypeScript(plan: ProjectPlan, options: EmitOptions): string {
  const used = new Set<string>();
  const ident = (name: string): string => {
    let id = name.replace(/[-_.]+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
    if (/^[0-9]/.test(id)) id = `_${id}`;
    if (KEYWORDS.has(id) || used.has(id)) id = `${id}Component`;
    while (used.has(id)) id = `${id}_`;
    used.add(id);
    return id;
  };
  const envVar = new Map(plan.environments.map((e) => [e.name, ident(e.name)]));
  const compVar = new Map(plan.components.map((c) => [c.name, ident(c.name)]));
  const imports = new Set(['DitEnvironment', 'GitOpsApp', 'runSynth']);
  const body: string[] = [];
  const links: string[] = [];

  for (const env of plan.environments) {
    if (env.allowLatest) imports.add('ImageTagRule');
    const props = { namespace: env.namespace, domain: env.domain, production: env.production, pinImageDigests: env.pinImageDigests, ...(env.allowLatest ? { imageTagRule: new Code('ImageTagRule.any({ allowLatest: true })') } : {}) };
    body.push(`const ${envVar.get(env.name)} = new DitEnvironment(app, ${str(env.name)}, ${literal(props, 1)});`);
  }
  const usesNginx = plan.components.some((c) => c.ingressFrom.some((r) => r.controller === 'nginx'));
  if (usesNginx) {
    imports.add('Peer');
    body.push("const ingressNginx = Peer.endpoint({ name: 'ingress-nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });");
  }
  const port = (p: PortPlan) => {
    imports.add('Port');
    return `Port.${p.protocol.toLowerCase()}(${p.number})`;
  };
  const envList = (names: readonly string[]) => `[${names.map((n) => envVar.get(n)!).join(', ')}]`;
  const peer = (rule: IngressRulePlan) => {
    if (rule.controller === 'nginx') return 'ingressNginx';
    imports.add('Peer');
    return 'Peer.traefik()';
  };

  for (const c of plan.components) {
    const v = compVar.get(c.name)!;
    body.push('');
    for (const line of plan.report.filter((l) => l.service === c.service)) body.push(...comment(line.message));
    const raw: string[] = c.kind === 'worker' && !c.chart ? [] : [`ports: [${c.ports.map(port).join(', ')}]`];
    if (c.imageFrom) raw.push(`imageFrom: ${compVar.get(c.imageFrom)!}`);
    if (c.environments) raw.push(`environments: ${envList(c.environments)}`);
    if (c.dependsOn.length > 0) raw.push(`dependsOn: [${c.dependsOn.map((d) => compVar.get(d)!).join(', ')}]`);
    if (c.chart) {
      imports.add('DitHelmChart');
      imports.add('ChartSource');
      const props = literalEntries({ chart: c.chart.chart, version: c.chart.version, values: c.chart.values, ...(c.chart.suspend ? { suspend: true } : {}), ...(c.chart.overrides ? { overrides: c.chart.overrides } : {}) }, 1);
      body.push(`const ${v} = new DitHelmChart(app, ${str(c.name)}, {`, `  source: ChartSource.helmRepository(${str(c.chart.repository)}),`, ...props, ...raw.map((r) => `  ${r},`), '});');
    } else {
      const cls = c.kind === 'client' ? 'DitClient' : c.kind === 'worker' ? 'DitWorker' : 'DitApi';
      imports.add(cls);
      if (JSON.stringify(c.golden).includes('"sealedToken"')) imports.add('SealedSecret');
      if (c.golden?.image?.registry) imports.add('ImageRegistry');
      body.push(`const ${v} = new ${cls}(app, ${str(c.name)}, {`, ...literalEntries(withSealedTokens(c.golden!), 1), ...raw.map((r) => `  ${r},`), '});');
      for (const job of c.hookJobs ?? []) body.push(`${v}.addHookJob(${str(job.name)}, ${literal({ command: job.command, ...(job.args ? { args: job.args } : {}) }, 0)});`);
      if (c.imageAutomation) imports.add('ImageSelection');
      for (const env of c.imageAutomation?.environments ?? []) {
        body.push(`${v}.enableImageAutomation(${envVar.get(env)}, { selection: ImageSelection.semver(${str(c.imageAutomation!.range)})${c.imageAutomation!.suspend ? ', suspend: true' : ''} });`);
      }
    }
    for (const rule of c.ingressFrom) {
      body.push(`${v}.connections.allowFrom(${peer(rule)}, ${port(rule.port)}${rule.environments ? `, { environments: ${envList(rule.environments)} }` : ''});`);
    }
    const ports = (list: readonly PortPlan[]) => (list.length === 1 ? port(list[0]) : `[${list.map(port).join(', ')}]`);
    // Connections after every component: one may point forward in the order.
    for (const t of c.connectsTo) links.push(`${v}.connections.allowTo(${compVar.get(t.target)}, ${ports(t.ports)});`);
    for (const h of c.externalHosts ?? []) {
      imports.add('Peer');
      links.push(`${v}.connections.allowTo(Peer.fqdn(${str(h.host)}), ${ports(h.ports)});`);
    }
    for (const h of c.declaredHosts ?? []) links.push(`${v}.connections.declareHost(${str(h.host)}, ${str(h.why)});`);
    if (c.kind !== 'worker' && receivesNothing(plan, c)) links.push(`${v}.connections.denyAllIngress();`);
  }
  if (links.length > 0) body.push('', '// Connections: what each component calls, from the report lines above.', ...links);

  const header = [
    `// Imported from ${options.sources.join(', ')} by \`dit-gitops import compose\`.`,
    '// The team owns this file from here on: edit it like any other definitions.',
    ...plan.report.filter((l) => !plan.components.some((c) => c.service === l.service)).flatMap((l) => comment(`${l.service}: ${l.message}`)),
  ];
  return [
    ...header,
    `import { ${[...imports].sort().join(', ')} } from ${str(options.moduleName ?? 'dit-gitops')};`,
    '',
    `/** The ${plan.project} project's environments and components. */`,
    'export function defineTeam(app: GitOpsApp): void {',
    ...body.flatMap((l) => l.split('\n')).map((l) => (l === '' ? '' : `  ${l}`)),
    '}',
    '',
    'export default defineTeam;',
    '',
    'if (require.main === module) runSynth(defineTeam);',
    '',
  ].join('\n');
}

/** A report line as comment lines: a multi-line value (a healthcheck script) stays inside the comment. */
function comment(message: string): string[] {
  return message.split(/\r\n|\r|\n|\u2028|\u2029/).map((l) => `// ${l}`);
}

/** TypeScript source printed as is inside a literal. */
class Code {
  constructor(public readonly source: string) {}
}

// Sealed tokens are kubeseal output, printed as the SealedSecret the props take.
function withSealedTokens(golden: GoldenPlanProps): Record<string, unknown> {
  const sealed = (i: InfisicalPlan | undefined) => i && (i.sealedToken === undefined ? i : { ...i, sealedToken: new Code(`SealedSecret.fromCiphertext(${str(i.sealedToken)})`) });
  const overrides = golden.overrides && Object.fromEntries(Object.entries(golden.overrides).map(([env, o]) => [env, { ...o, infisical: sealed(o.infisical) }]));
  const image = golden.image?.registry === 'docker.io' ? { ...golden.image, registry: new Code('ImageRegistry.dockerHub()') } : golden.image;
  return { ...golden, image, infisical: sealed(golden.infisical), overrides };
}

function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : str(k);
}

/** `key: value,` lines of an object literal, one per property, at `depth`. */
function literalEntries(value: Record<string, unknown>, depth: number): string[] {
  return Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${'  '.repeat(depth)}${key(k)}: ${literal(v, depth)},`);
}

/** A JSON value as a TypeScript literal: inline when short, one property per line otherwise. */
function literal(value: unknown, depth: number): string {
  if (value instanceof Code) return value.source;
  if (typeof value === 'string') return str(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'undefined';
  const inline = inlineLiteral(value);
  if (inline.length + depth * 2 <= 110) return inline;
  const pad = '  '.repeat(depth);
  if (Array.isArray(value)) return `[\n${value.map((v) => `${pad}  ${literal(v, depth + 1)},`).join('\n')}\n${pad}]`;
  return `{\n${literalEntries(value as Record<string, unknown>, depth + 1).join('\n')}\n${pad}}`;
}

function inlineLiteral(value: unknown): string {
  if (value instanceof Code) return value.source;
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${key(k)}: ${inlineLiteral(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return literal(value, 0);
}
