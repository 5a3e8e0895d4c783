/**
 * The typed compose model the parser produces and the transform reads. Every value is
 * already interpolated and normalized to the long syntax, so the transform never sees the
 * short forms (`"8080:80/udp"`, `./data:/var/lib/data:ro`, `KEY=value` lists).
 */

/** One compose file's bytes, named as the user gave it (for error messages). */
export interface ComposeSource {
  /** Path as written on the command line or in the construct props. */
  readonly file: string;
  /** The file's text. */
  readonly content: string;
}

/**
 * Everything the parser reads, already loaded: it never touches the file system itself, so
 * the same input gives the same model on any machine.
 */
export interface ComposeInput {
  /** Compose files, merged in order (`-f a.yml -f b.yml`). */
  readonly files: readonly ComposeSource[];
  /**
   * Variables for `${VAR}` interpolation. They win over the `.env` file, as in compose.
   * @default - none (the process environment is read only by the CLI)
   */
  readonly variables?: { readonly [name: string]: string | undefined };
  /** The project's `.env` file. @default - none */
  readonly dotEnv?: ComposeSource;
  /**
   * Reads a file an `env_file:` entry names (path relative to the first compose file);
   * `undefined` when it does not exist. @default - every env_file is reported missing
   */
  readonly readFile?: (path: string) => string | undefined;
  /** Profiles to enable; services in other profiles are left out. @default - none */
  readonly profiles?: readonly string[];
}

/** A published or exposed container port. */
export interface ComposePort {
  /** Container port. */
  readonly target: number;
  /** Host port, as a number or range; irrelevant in a cluster, kept for the report. @default - none */
  readonly published?: string;
  /** Host IP the port is bound to. @default - all */
  readonly hostIp?: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}

/** A long-form volume mount. */
export interface ComposeVolumeMount {
  readonly type: 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster' | 'image';
  /** Named volume or host path; absent for anonymous volumes and tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
}

/** A secret or config a service mounts. */
export interface ComposeFileReference {
  /** Name in the top-level `secrets:` / `configs:`. */
  readonly source: string;
  /** Path or name inside the container. */
  readonly target: string;
}

/** A healthcheck with durations in seconds. */
export interface ComposeHealthcheck {
  /** The command as a list (`CMD` form) or one shell string (`CMD-SHELL` form). */
  readonly test: readonly string[] | string;
  /** @default - compose's 30s */
  readonly intervalSeconds?: number;
  /** @default - compose's 30s */
  readonly timeoutSeconds?: number;
  /** @default - compose's 3 */
  readonly retries?: number;
  /** @default - none */
  readonly startPeriodSeconds?: number;
}

/** `deploy.resources` quantities as compose wrote them. */
export interface ComposeResourceQuantities {
  /** Fractional CPUs, for example `0.5`. @default - none */
  readonly cpus?: number;
  /** Bytes. @default - none */
  readonly memoryBytes?: number;
}

/** What `x-dit` and `dit.*` labels override on one service. */
export interface DitServiceOverrides {
  /** Container port to use instead of the detected one. @default - detected */
  readonly port?: number;
  /** `public` gives an ingress, `internal` none. @default - from the networks */
  readonly expose?: 'public' | 'internal';
  /** Full ingress host instead of `<service>.<environment domain>`. @default - derived */
  readonly host?: string;
  /** Component kind instead of the detected one. @default - detected */
  readonly kind?: 'api' | 'client' | 'database' | 'worker';
  /** PVC size for every named volume of the service. @default '10Gi' */
  readonly volumeSize?: string;
  /** Leaves the service out of the tree. @default false */
  readonly skip?: boolean;
  /** Ingress class and annotations. @default - the environment's class, no annotations */
  readonly ingress?: { readonly className?: string; readonly annotations?: { readonly [key: string]: string } };
  /** False suspends Flux image automation for the service. @default true */
  readonly autoDeploy?: boolean;
  /** True renders the HelmRelease suspended. @default false */
  readonly suspend?: boolean;
  /**
   * Deploys a `latest` (or untagged) image to the non-production environments, whose tag rule
   * then becomes `ImageTagRule.any({ allowLatest: true })`. @default false
   */
  readonly allowLatest?: boolean;
  /** Exact chart version of a database's chart (production requires one). @default - unpinned, not in production */
  readonly chartVersion?: string;
  /**
   * Digest of the image the component runs: the service's image, or a database chart's own
   * image. @default - the digest in the compose image reference, if any
   */
  readonly imageDigest?: string;
  /**
   * The probe of a service without a healthcheck: an HTTP path the app serves on its first
   * port (`/health` for an image that follows DIT's service manual), or `none`.
   * @default - GET /health for DIT's own images, none for any other
   */
  readonly probe?: string;
  /**
   * Infisical: the machine-identity token sealed with kubeseal for each environment, by
   * environment name. @default - none: Infisical is off in every environment
   */
  readonly infisical?: { readonly sealedToken?: { readonly [environment: string]: string } };
}

/** One service after merging, interpolation and normalization. */
export interface ComposeService {
  readonly name: string;
  /** The name compose gave the service, when it was not a DNS-1123 label (`ftpd_server` → `ftpd-server`). @default - name */
  readonly composeName?: string;
  /** Other names the service answers to on compose's networks: container_name, hostname, network aliases. @default - none */
  readonly aliases?: readonly string[];
  /** `entrypoint:` as written: a list, or one string compose splits into shell words. @default - the image's */
  readonly entrypoint?: readonly string[] | string;
  /** `command:` as written: a list, or one string compose splits into shell words. @default - the image's */
  readonly command?: readonly string[] | string;
  /** `restart:` policy. @default - none ("no", compose's default) */
  readonly restart?: string;
  /** What `build:` builds (context and dockerfile), to tell which services share a build. @default - none */
  readonly buildKey?: string;
  /** Keys listed without a value (`environment: [FOO]`) whose value came from the variables. @default - none */
  readonly passedThrough?: readonly string[];
  /** The file that last defined the service: what errors name. */
  readonly file: string;
  /** @default - none (then `build` is set) */
  readonly image?: string;
  readonly hasBuild: boolean;
  readonly ports: readonly ComposePort[];
  readonly expose: readonly ComposePort[];
  /** Final environment: env_file entries first, `environment:` over them. `undefined` = no value. */
  readonly environment: { readonly [key: string]: string | undefined };
  /** Networks the service joins; `['default']` when none are named. */
  readonly networks: readonly string[];
  /** @default - none, or disabled */
  readonly healthcheck?: ComposeHealthcheck;
  /** @default - none */
  readonly replicas?: number;
  /** @default - none */
  readonly limits?: ComposeResourceQuantities;
  /** @default - none */
  readonly reservations?: ComposeResourceQuantities;
  readonly volumes: readonly ComposeVolumeMount[];
  readonly secrets: readonly ComposeFileReference[];
  readonly configs: readonly ComposeFileReference[];
  /** Services this one waits for, in file order. */
  readonly dependsOn: readonly string[];
  /** `depends_on` conditions other than service_started, by service. @default - none */
  readonly dependsOnConditions?: { readonly [service: string]: string };
  readonly labels: { readonly [key: string]: string };
  readonly profiles: readonly string[];
  readonly dit: DitServiceOverrides;
  /** Keys the importer does not translate, for the report. */
  readonly unsupported: readonly string[];
}

/** A top-level named volume, secret or config. */
export interface ComposeTopLevelResource {
  readonly name: string;
  readonly external: boolean;
  /** `file:` (secrets, configs) or `environment:` source. @default - none */
  readonly file?: string;
}

/** The whole project. */
export interface ComposeModel {
  /** Compose `name:`. @default - none */
  readonly name?: string;
  /** Services in file order, with disabled profiles already left out. */
  readonly services: readonly ComposeService[];
  /** Services left out because their profile is not enabled. */
  readonly inactiveServices: readonly string[];
  readonly volumes: { readonly [name: string]: ComposeTopLevelResource };
  readonly secrets: { readonly [name: string]: ComposeTopLevelResource };
  readonly configs: { readonly [name: string]: ComposeTopLevelResource };
  /** Top-level keys the importer does not translate. */
  readonly unsupported: readonly string[];
  /** Variables that were not set and became empty strings. */
  readonly unsetVariables: readonly string[];
}

/** One problem in the compose input. */
export interface ComposeIssue {
  readonly file: string;
  /** @default - the problem is not inside a service */
  readonly service?: string;
  /** Dotted key path, for example `ports[1]`. */
  readonly key: string;
  readonly message: string;
}

/** Every problem found in the compose input, reported at once. Nothing is written. */
export class ComposeError extends Error {
  constructor(public readonly issues: readonly ComposeIssue[]) {
    super(`${issues.length} problem${issues.length === 1 ? '' : 's'} in the compose input:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ComposeError';
  }
}

/** `file service key: message`, the one-line form of an issue. */
export function formatIssue(issue: ComposeIssue): string {
  return `${issue.file}${issue.service ? ` service ${issue.service}` : ''} ${issue.key}: ${issue.message}`;
}
