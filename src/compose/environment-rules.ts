import * as semver from 'semver';
import { ImageTagRule } from '../images/image-tag-rule';
import { ComposeService } from './compose-model';
import { ComponentPlan, ComposeEnvironmentOptions, EnvironmentPlan, GoldenPlanProps } from './component-plan';

/**
 * Seed 000's environment mapping, with the options' overrides. An environment accepts `latest`
 * only outside production, and only when asked: by the option, or by a service's
 * x-dit.allowLatest (the tag rule belongs to the environment, so the report says so).
 */
export function environmentPlans(
  project: string, domain: string, ingressClassName: string | undefined, environments: readonly ComposeEnvironmentOptions[],
  services: readonly ComposeService[], note: (service: string, message: string) => void,
): EnvironmentPlan[] {
  const wantLatest = services.filter((s) => s.dit.allowLatest).map((s) => s.name);
  return environments.map((env) => {
    const production = env.production ?? env.name === 'production';
    const allowLatest = !production && env.imageTagRule === undefined && (env.allowLatest ?? wantLatest.length > 0);
    if (production && (env.allowLatest || wantLatest.length > 0)) note('(project)', `${env.name} does not accept latest: a production environment takes semantic versions only (allowLatest applies to the other environments)`);
    if (allowLatest) {
      note('(project)', `${env.name} accepts the latest tag (ImageTagRule.any({ allowLatest: true }))${env.allowLatest ? '' : ` because x-dit.allowLatest is set on ${wantLatest.join(', ')}`}: latest names no build, so the tree cannot say what runs`);
    }
    return {
      name: env.name,
      namespace: env.namespace ?? `${project}-${env.name}`,
      domain: env.domain ?? (env.name === 'production' ? domain : `${env.name}.${domain}`),
      ingressClassName: env.ingressClassName ?? ingressClassName ?? 'traefik',
      production,
      pinImageDigests: env.pinImageDigests ?? production,
      ...(allowLatest ? { allowLatest } : {}),
      ...(env.imageTagRule ? { imageTagRule: env.imageTagRule } : {}),
    };
  });
}

/** The tag rule DitEnvironment applies to the plan's environment. */
function tagRuleOf(env: EnvironmentPlan): ImageTagRule {
  return env.imageTagRule ?? (env.production ? ImageTagRule.semver() : ImageTagRule.any({ allowLatest: env.allowLatest ?? false }));
}

/** Why a component cannot be deployed to an environment, and how to fix it. */
export interface EnvironmentBlocker {
  readonly reason: string;
  readonly fix: string;
}

/**
 * Why a golden-chart component's compose image cannot run in `env` as given (latest, untagged,
 * build-only, no digest where digests are pinned); empty when it can. The rules are
 * DitEnvironment's own: such a component is deployed there **pending** (image: { pending: true }),
 * never with a relaxed rule.
 */
function imageBlockers(plan: ComponentPlan, env: EnvironmentPlan, allowLatest = false): EnvironmentBlocker[] {
  const out: EnvironmentBlocker[] = [];
  if (plan.golden?.image && plan.golden.image.tag !== undefined) {
    const { tag, digest } = plan.golden.image;
    const rule = tagRuleOf(env);
    // The environment accepts latest because some service asked; the others did not.
    const unasked = tag === 'latest' && env.allowLatest && !allowLatest;
    if (unasked) {
      out.push({ reason: `tag latest: ${env.name} accepts it only for services that set x-dit.allowLatest`, fix: 'give the compose image a tag, or set x-dit.allowLatest: true' });
    } else if (!rule.accepts(tag)) {
      out.push({
        reason: `tag ${tag} breaks ${env.name}'s tag rule (${rule.description})`,
        fix: tag === 'latest' && !env.production && !env.imageTagRule ? 'give the compose image a tag, or set x-dit.allowLatest: true'
          : env.production ? 'tag the image with a semantic version (image: …:v1.2.3@sha256:…)'
            : `use a tag ${env.name}'s rule accepts`,
      });
    }
    if (env.pinImageDigests && !digest) out.push({ reason: `the image has no digest, which ${env.name} requires`, fix: 'add @sha256:… to the compose image or set x-dit.imageDigest' });
  }
  return out;
}

/** Why a third-party chart (a database) cannot be deployed to `env`; empty when it can. */
function chartBlockers(plan: ComponentPlan, env: EnvironmentPlan): EnvironmentBlocker[] {
  const out: EnvironmentBlocker[] = [];
  if (plan.chart && env.production) {
    if (semver.valid(plan.chart.version) === null) {
      out.push({ reason: `chart version ${plan.chart.version} is not one exact version`, fix: 'set x-dit.chartVersion to the exact chart version you tested, such as 16.4.5' });
    }
    if (!hasImageDigest(plan.chart.values)) {
      out.push({ reason: `the ${plan.chart.chart} chart's image is not pinned by digest`, fix: 'set x-dit.imageDigest to the digest of the chart\'s image' });
    }
  }
  return out;
}

function hasImageDigest(values: { readonly [key: string]: unknown }): boolean {
  const image = values.image as { digest?: unknown } | undefined;
  return typeof image?.digest === 'string' && image.digest !== '';
}

/**
 * Admits each component to every environment. A golden-chart component whose compose image
 * cannot run there yet is deployed **pending** (its first image.yaml holds `tag: ""`, and the
 * chart runs no pod until CI sets the tag), with a report line saying what starts it; its
 * dependents are deployed as usual. A third-party chart an environment's rules refuse is left
 * out of it (and whatever depends on it there), one report line per environment. A component
 * deployed nowhere is dropped from the plans, and the report says so.
 */
export function admitToEnvironments(
  plans: Map<string, ComponentPlan>, environments: readonly EnvironmentPlan[], allowLatest: ReadonlySet<string>,
  note: (service: string, message: string) => void,
): void {
  const excluded = new Map<string, Set<string>>(environments.map((e) => [e.name, new Set<string>()]));
  for (const plan of plans.values()) {
    for (const env of environments) {
      const blockers = chartBlockers(plan, env);
      if (blockers.length === 0) continue;
      excluded.get(env.name)!.add(plan.name);
      note(plan.service, `not deployed to ${env.name}: ${blockers.map((b) => b.reason).join(' and ')} (fix: ${blockers.map((b) => b.fix).join('; ')})`);
    }
  }
  for (const env of environments) {
    const out = excluded.get(env.name)!;
    for (let changed = true; changed;) {
      changed = false;
      for (const plan of plans.values()) {
        if (out.has(plan.name)) continue;
        const missing = plan.dependsOn.find((d) => out.has(d)) ?? (plan.imageFrom && out.has(plan.imageFrom) ? plan.imageFrom : undefined);
        // Pending components are deployed (they start once CI sets their tag), so nothing waits
        // on them here; only a component left out takes its dependents with it.
        if (missing) {
          out.add(plan.name);
          changed = true;
          note(plan.service, `not deployed to ${env.name}: it ${missing === plan.imageFrom ? 'runs the image of' : 'depends on'} ${missing}, which is not deployed there`);
          continue;
        }
        // Reached only by components left out of env (no ingress rule there): nothing would call
        // it, and default-deny needs its ingress stated, so it is left out too.
        const callers = [...plans.values()].filter((c) => c.connectsTo.some((t) => t.target === plan.name));
        const publicHere = plan.ingressFrom.some((r) => !r.environments || r.environments.includes(env.name));
        if (callers.length > 0 && !publicHere && callers.every((c) => out.has(c.name))) {
          out.add(plan.name);
          changed = true;
          note(plan.service, `not deployed to ${env.name}: only ${callers.map((c) => c.name).join(', ')} use${callers.length === 1 ? 's' : ''} it, and ${callers.length === 1 ? 'it is' : 'they are'} not deployed there`);
        }
      }
    }
  }
  // Pending where the image cannot run yet, in the environments the component is deployed to.
  for (const plan of [...plans.values()]) {
    const deployed = environments.filter((e) => !excluded.get(e.name)!.has(plan.name));
    const pending = deployed.map((env) => ({ env, blockers: imageBlockers(plan, env, allowLatest.has(plan.service)) })).filter((p) => p.blockers.length > 0);
    for (const { env, blockers } of pending) note(plan.service, pendingLine(plan, env, blockers));
    if (pending.length > 0) plans.set(plan.name, asPending(plan, pending.map((p) => p.env.name), deployed.length));
  }
  for (const plan of [...plans.values()]) {
    const allowed = environments.filter((e) => !excluded.get(e.name)!.has(plan.name)).map((e) => e.name);
    if (allowed.length === environments.length) continue;
    if (allowed.length === 0) {
      plans.delete(plan.name);
      note(plan.service, `left out of the tree: it can be deployed to no environment (${environments.map((e) => e.name).join(', ')}); fix the reasons above and import again`);
      continue;
    }
    plans.set(plan.name, restrict(plan, allowed));
  }
}

function restrict(plan: ComponentPlan, allowed: readonly string[]): ComponentPlan {
  const keep = (envs: readonly string[] | undefined) => envs?.filter((e) => allowed.includes(e));
  const overrides = plan.golden?.overrides ? Object.fromEntries(Object.entries(plan.golden.overrides).filter(([env]) => allowed.includes(env))) : undefined;
  return {
    ...plan,
    environments: allowed,
    ingressFrom: plan.ingressFrom.flatMap((r) => { const envs = keep(r.environments); return envs?.length === 0 ? [] : [{ ...r, ...(envs ? { environments: envs } : {}) }]; }),
    ...(plan.imageAutomation ? { imageAutomation: { ...plan.imageAutomation, environments: plan.imageAutomation.environments.filter((e) => allowed.includes(e)) } } : {}),
    ...(plan.golden ? { golden: withOverrides(plan.golden, overrides) } : {}),
  };
}

function withOverrides(golden: GoldenPlanProps, overrides: GoldenPlanProps['overrides']): GoldenPlanProps {
  const { overrides: _dropped, ...rest } = golden;
  return overrides && Object.keys(overrides).length > 0 ? { ...rest, overrides } : rest;
}

/** The report line of a component deployed pending in `env`: why, and what starts it. */
function pendingLine(plan: ComponentPlan, env: EnvironmentPlan, blockers: readonly EnvironmentBlocker[]): string {
  const composeTag = plan.golden?.image?.tag;
  // A tag the rule accepts (a third-party 8.13.0 waiting for its digest) is the one to record.
  const tag = composeTag !== undefined && composeTag !== 'latest' && tagRuleOf(env).accepts(composeTag) ? composeTag : env.production ? 'v1.2.3' : '<tag>';
  const why = blockers.map((b) => b.reason).join(' and ');
  const start = env.pinImageDigests
    ? `until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image ${plan.name} --env ${env.name} --tag ${tag} --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and ${env.name} also waits for the digest)`
    : `until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image ${plan.name} --env ${env.name} --tag ${tag}`;
  return `pending in ${env.name}: ${why}; installed with no pod (image.yaml tag "") ${start} (or pin it in compose: ${blockers.map((b) => b.fix).join('; ')})`;
}

/** The plan with its image pending in `pendingIn` (every environment: on the base image, which then names no tag). */
function asPending(plan: ComponentPlan, pendingIn: readonly string[], environments: number): ComponentPlan {
  const golden = plan.golden!;
  const image = golden.image!;
  if (pendingIn.length === environments) {
    const { tag: _tag, digest: _digest, ...rest } = image;
    return { ...plan, golden: { ...golden, image: { ...rest, pending: true } } };
  }
  const overrides = { ...golden.overrides };
  for (const env of pendingIn) overrides[env] = { ...overrides[env], image: { pending: true } };
  return { ...plan, golden: { ...golden, overrides } };
}
