import { ComposeService } from './compose-model';
import { ComponentPlan, ConnectionPlan, ExternalHostPlan, PortPlan } from './component-plan';
import { Dial, composeHostIndex, isIpAddress, undialedNotes } from './dial-rules';
import { OneShot, oneShotCommand } from './service-roles';
import { serviceHostOf } from './volume-rules';

/**
 * The connections of the plans: one allowTo per component a service calls, on the port its
 * configuration dials, from what the app names (environment values), what it waits for
 * (depends_on) and the user networks it shares. Each edge is one report line saying why.
 */

type Note = (service: string, message: string) => void;

const portList = (ports: readonly PortPlan[]) => ports.map((p) => (p.protocol === 'TCP' ? String(p.number) : `${p.number}/${p.protocol.toLowerCase()}`)).join(',');

/** One-shot services become hook Jobs of the service that waits for them (same image). */
export function attachOneShots(services: readonly ComposeService[], oneShots: ReadonlyMap<string, OneShot>, plans: Map<string, ComponentPlan>, note: Note): void {
  for (const shot of oneShots.values()) {
    const service = services.find((s) => s.name === shot.service)!;
    const host = shot.host ? plans.get(shot.host) : undefined;
    if (!host?.golden) {
      note(shot.service, `one-shot (${shot.why}): left out: ${shot.problem ?? `${shot.host} is not a golden-chart component`} (a hook Job of another image needs an image option on addHookJob, which the engine lacks)`);
      continue;
    }
    const run = oneShotCommand(service);
    run.notes.forEach((m) => note(shot.service, m));
    if (!run.command) {
      note(shot.service, `one-shot (${shot.why}): left out: it names no entrypoint or command, and a hook Job needs one (give it command:)`);
      continue;
    }
    plans.set(host.name, { ...host, hookJobs: [...host.hookJobs ?? [], { name: shot.service, command: run.command, ...(run.args ? { args: run.args } : {}) }] });
    note(shot.service, `one-shot (${shot.why}) → hook Job ${shot.service} of ${host.name}: ${JSON.stringify([...run.command, ...run.args ?? []])} with ${host.name}'s image, config and secrets, after the first install and before every upgrade (a failed run fails the release; on the first install ${host.name}'s pods start beside it)`);
    const hostService = services.find((s) => s.name === host.service)!;
    const missing = Object.keys(service.environment).filter((k) => !(k in hostService.environment));
    if (missing.length > 0) note(shot.service, `env ${missing.join(', ')} not in ${host.name}'s environment: the hook Job sees ${host.name}'s (add them to ${host.name} if it needs them)`);
  }
}

/** The connections, dependsOn and outside hosts of every plan. */
export function linkConnections(
  services: readonly ComposeService[], plans: Map<string, ComponentPlan>, dials: ReadonlyMap<string, readonly Dial[]>, oneShots: ReadonlyMap<string, OneShot>, note: Note,
  defaultPortOf: (service: string) => number | undefined = () => undefined,
): void {
  const hostIndex = composeHostIndex(services);
  for (const service of services) {
    const plan = plans.get(service.name);
    if (!plan) continue;
    for (const m of undialedNotes(service, hostIndex, plan.ports.map((p) => p.number))) note(service.name, m);
    const sources = [service, ...services.filter((s) => oneShots.get(s.name)?.host === service.name && plan.hookJobs?.some((j) => j.name === s.name))];
    const edges = new Map<string, Set<number>>();
    const external = new Map<string, Set<number>>();
    const add = (target: string, ports: readonly number[]) => ports.forEach((p) => edges.set(target, (edges.get(target) ?? new Set()).add(p)));
    const say = (m: string) => note(service.name, m);
    for (const src of sources) {
      const via = src === service ? '' : ` (for hook Job ${src.name})`;
      for (const d of dials.get(src.name) ?? []) {
        const at = `env ${d.key} ${d.port !== undefined ? `dials ${d.host}:${d.port}` : `names ${d.host}`}`;
        if (!d.target) {
          if (isIpAddress(d.host)) say(`${at}, an IP address outside the project: no rule (state Peer.cidr if it must be reached)${via}`);
          else if (d.port === undefined) say(`${at}, outside the project, on no port the value gives: no rule (add allowTo(Peer.fqdn('${d.host}'), Port.tcp(…)))${via}`);
          else {
            external.set(d.host, (external.get(d.host) ?? new Set()).add(d.port));
            say(`${at}, outside the project → allowTo Peer.fqdn(${d.host}) :${d.port}${via}`);
          }
          continue;
        }
        if (oneShots.has(d.target)) continue;
        const target = plans.get(d.target);
        if (!target) {
          say(`${at}: ${d.target} is not converted, so no connection${via}`);
          continue;
        }
        if (target.ports.length === 0) {
          say(`${at}: ${d.target} listens on no port (${target.kind === 'worker' ? 'a worker' : 'port unknown'}): no connection; verify reports the call until x-dit.port names the port${via}`);
          continue;
        }
        if (d.port !== undefined && target.ports.some((p) => p.number === d.port)) {
          add(d.target, [d.port]);
          say(`${at} → allowTo ${d.target} :${d.port}${via}`);
        } else if (d.port !== undefined) {
          add(d.target, target.ports.map((p) => p.number));
          say(`${at}, but ${d.target} listens on ${portList(target.ports)}: allowTo ${d.target} :${portList(target.ports)}; verify reports the call until the value or x-dit.port agrees${via}`);
        } else if (target.ports.length === 1) {
          add(d.target, [target.ports[0].number]);
          say(`${at} with no port → allowTo ${d.target} :${portList(target.ports)} (the port it listens on)${via}`);
        } else {
          // A bare host (WORDPRESS_DB_HOST=db) dials its client's default, which is the
          // target image's well-known port (a MySQL client 3306, not mysqlx's 33060). The
          // value is kept as written (apps that read a host alone break on host:port), and the
          // one connection on that port is what tells verify which port the app dials.
          const known = defaultPortOf(d.target);
          const same = target.ports.filter((p) => p.protocol === d.protocol);
          if (known !== undefined && same.some((p) => p.number === known)) {
            add(d.target, [known]);
            say(`${at} with no port → allowTo ${d.target} :${known} (${d.target} listens on ${portList(target.ports)}; a client of its image dials the image's default ${known}, so verify takes the port from this connection)${via}`);
          } else {
            add(d.target, target.ports.map((p) => p.number));
            say(`${at} with no port → allowTo ${d.target} :${portList(target.ports)} (every port it listens on: none is its image's known default), so verify reports the call until the value names the port${via}`);
          }
        }
      }
    }
    const dependsOn: string[] = [];
    for (const src of sources) {
      for (const t of src.dependsOn) {
        if (oneShots.has(t) || t === service.name || dependsOn.includes(t)) continue;
        const target = plans.get(t);
        if (!target) {
          say(`depends on ${t}, which is not converted: dropped`);
          continue;
        }
        dependsOn.push(t);
        const condition = src.dependsOnConditions?.[t];
        const when = condition === 'service_healthy' ? ' (service_healthy: Flux waits for the release to be ready)' : '';
        if (edges.has(t)) say(`depends on ${t} → dependsOn ${t}${when}`);
        else if (target.ports.length > 0) {
          add(t, target.ports.map((p) => p.number));
          say(`depends on ${t} → dependsOn ${t}, allowTo ${t} :${portList(target.ports)} (no value names its port: every port it listens on)${when}`);
        } else say(`depends on ${t} → dependsOn ${t} (it listens on no port: no connection)${when}`);
      }
    }
    if (plan.kind !== 'database') {
      for (const network of service.networks.filter((n) => n !== 'default' && n !== 'ingress')) {
        for (const other of services) {
          const target = plans.get(other.name);
          if (other === service || !target || oneShots.has(other.name) || edges.has(other.name) || target.ports.length === 0 || !other.networks.includes(network)) continue;
          add(other.name, target.ports.map((p) => p.number));
          say(`shares network ${network} with ${other.name} → allowTo ${other.name} :${portList(target.ports)} (compose lets it call ${other.name} there; drop the connection if it does not)`);
        }
      }
    }
    const connectsTo: ConnectionPlan[] = [...edges].map(([target, ports]) => ({ target, ports: plans.get(target)!.ports.filter((p) => ports.has(p.number)) }));
    const externalHosts: ExternalHostPlan[] = [...external].map(([host, ports]) => ({ host, ports: [...ports].sort((a, b) => a - b).map((number) => ({ number, protocol: 'TCP' as const })) }));
    plans.set(service.name, { ...plan, dependsOn, connectsTo, ...(externalHosts.length > 0 ? { externalHosts } : {}) });
  }
}

/**
 * Every host the app names is a Service that will exist: a value naming a compose alias, a
 * renamed service or a chart whose Service is not named after the release (redis: `-master`)
 * is rewritten to the Service's name, with a report line. Secret values are not written, so
 * the report says what the stored value must name.
 */
export function rewriteHosts(services: readonly ComposeService[], plans: Map<string, ComponentPlan>, dials: ReadonlyMap<string, readonly Dial[]>, note: Note): void {
  for (const plan of [...plans.values()]) {
    if (!plan.golden) continue;
    const configs = { ...plan.golden.configs };
    let changed = false;
    const declared = new Map<string, string>();
    for (const d of dials.get(plan.service) ?? []) {
      const target = d.target ? plans.get(d.target) : undefined;
      if (!target) continue;
      const wanted = target.chart ? serviceHostOf(target.chart.chart, target.name) : target.name;
      if (d.host === wanted) continue;
      const targetService = services.find((s) => s.name === target.service)!;
      const why = wanted !== target.name ? `the ${target.chart!.chart} chart names its Service ${wanted}`
        : targetService.composeName?.toLowerCase() === d.host ? `${d.host} was renamed ${wanted}` : `${d.host} is a compose alias of ${target.name}, whose Service is ${wanted}`;
      if (d.key in configs) {
        const pattern = new RegExp(`(^|[^A-Za-z0-9.-])${d.host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9.-])`, 'gi');
        const value = String(configs[d.key]).replace(pattern, (_, pre: string) => `${pre}${wanted}`);
        if (value !== configs[d.key]) {
          configs[d.key] = value;
          changed = true;
          note(plan.service, `env ${d.key}: host ${d.host} → ${wanted} (${why})`);
          if (wanted !== target.name && !declared.has(wanted)) {
            declared.set(wanted, `the ${target.chart!.chart} chart's Service of release ${target.name} (not rendered offline)`);
            note(plan.service, `declareHost ${wanted}: verify stands in a Service named ${target.name} for the chart it cannot render, so the host is declared (the connection to ${target.name} carries the traffic)`);
          }
        }
      } else {
        note(plan.service, `env ${d.key} (Infisical) names ${d.host}: the value stored there must name ${wanted} (${why})`);
      }
    }
    const declaredHosts = [...declared].map(([host, why]) => ({ host, why }));
    if (changed) plans.set(plan.service, { ...plan, golden: { ...plan.golden, configs }, ...(declaredHosts.length > 0 ? { declaredHosts } : {}) });
  }
}
