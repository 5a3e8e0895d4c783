import * as semver from 'semver';
import { ImageTagRule } from '../images/image-tag-rule';
import { ComposeService } from './compose-model';
import { ComponentPlan, ComposeEnvironmentOptions, EnvironmentPlan } from './component-plan';

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

/** Why a component cannot run in an environment yet, and what starts it. */
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

/** Why a third-party chart (a database) cannot run in `env` yet (it waits there, suspended); empty when it can. */
function chartBlockers(plan: ComponentPlan, env: EnvironmentPlan): EnvironmentBlocker[] {
  const out: EnvironmentBlocker[] = [];
  if (plan.chart && env.production) {
    if (semver.valid(plan.chart.version) === null) {
      out.push({ reason: `chart version ${plan.chart.version} is not one exact version`, fix: 'set x-dit.chartVersion to the exact chart version you tested, such as 16.4.5' });
    }
    if (!hasImageDigest(plan.chart.values)) {
      const image = plan.chart.repository.endsWith('/bitnamicharts') ? ` (bitnami/${plan.chart.chart})` : '';
      out.push({ reason: `the ${plan.chart.chart} chart's image is not pinned by digest`, fix: `set x-dit.imageDigest to the digest of the chart's image${image}` });
    }
  }
  return out;
}

function hasImageDigest(values: { readonly [key: string]: unknown }): boolean {
  const image = values.image as { digest?: unknown } | undefined;
  return typeof image?.digest === 'string' && image.digest !== '';
}

/**
 * Admits each component to every environment: every component is declared in every
 * environment. A golden-chart component whose compose image cannot run there yet is deployed
 * **pending** (its first image.yaml holds `tag: ""`, and the chart runs no pod until CI sets
 * it); a third-party chart (a database) an environment's rules refuse is deployed there
 * **waiting**: its HelmRelease suspended (Flux reconciles no suspended release, so nothing
 * unpinned is installed) until its chart version and image are pinned. Each is one report line
 * per environment, saying why and what starts it. Dependents are deployed as usual; those that
 * wait for a suspended release (dependsOn) get a line saying so.
 */
export function admitToEnvironments(
  plans: Map<string, ComponentPlan>, environments: readonly EnvironmentPlan[], allowLatest: ReadonlySet<string>,
  note: (service: string, message: string) => void,
): void {
  const waiting = new Map<string, string[]>();
  for (const plan of [...plans.values()]) {
    const refused = environments.map((env) => ({ env, blockers: chartBlockers(plan, env) })).filter((w) => w.blockers.length > 0);
    for (const { env, blockers } of refused) note(plan.service, waitingLine(env, blockers));
    if (refused.length > 0) {
      waiting.set(plan.name, refused.map((w) => w.env.name));
      plans.set(plan.name, asWaiting(plan, refused.map((w) => w.env.name)));
    }
  }
  // Flux installs a release only once every release it dependsOn is ready, and a suspended one
  // never is until it is started: its dependents (and theirs) wait, declared as usual.
  for (const env of environments) {
    const held = new Map<string, string>([...waiting].filter(([, envs]) => envs.includes(env.name)).map(([name]) => [name, 'suspended there']));
    for (let changed = true; changed;) {
      changed = false;
      for (const plan of plans.values()) {
        const on = plan.dependsOn.filter((d) => held.has(d));
        if (held.has(plan.name) || on.length === 0) continue;
        held.set(plan.name, `which waits for ${on.join(', ')}`);
        changed = true;
        note(plan.service, `waits in ${env.name} for ${on.map((d) => `${d} (${held.get(d)})`).join(', ')}: declared there as usual, and Flux installs its release once ${on.length === 1 ? 'that one is' : 'those are'} started and ready (dependsOn)`);
      }
    }
  }
  // Pending where the image cannot run yet.
  for (const plan of [...plans.values()]) {
    const pending = environments.map((env) => ({ env, blockers: imageBlockers(plan, env, allowLatest.has(plan.service)) })).filter((p) => p.blockers.length > 0);
    for (const { env, blockers } of pending) note(plan.service, pendingLine(plan, env, blockers));
    if (pending.length > 0) plans.set(plan.name, asPending(plan, pending.map((p) => p.env.name), environments.length));
  }
}

/** The report line of a third-party chart waiting in `env`: why, and exactly what starts it. */
function waitingLine(env: EnvironmentPlan, blockers: readonly EnvironmentBlocker[]): string {
  return `waiting in ${env.name}: ${blockers.map((b) => b.reason).join(' and ')}, and ${env.name} installs only pinned charts; its HelmRelease is declared there suspended (spec.suspend: true: Flux reconciles nothing, so nothing unpinned runs). `
    + `To start it: ${blockers.map((b) => b.fix).join('; ')}; the next import (or synthesis, with ComposeProject) renders the release without suspend`;
}

/** The plan with its chart's release suspended in `environments`. */
function asWaiting(plan: ComponentPlan, environments: readonly string[]): ComponentPlan {
  const chart = plan.chart!;
  const overrides = { ...chart.overrides };
  for (const env of environments) overrides[env] = { ...overrides[env], suspend: true };
  return { ...plan, chart: { ...chart, overrides } };
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
