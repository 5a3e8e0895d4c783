import { Port, Protocol } from '../network/port';

/**
 * The values contract of the golden charts (charts/dit-common-api, dit-common-client and
 * dit-gateway): what a HelmRelease of a golden chart may carry after every overlay and
 * image.yaml are merged. Each chart's values.schema.json states the same fields, and a test
 * keeps the two in step. Field names are the ones seed 004's hand-written releases use.
 */
export interface GoldenChartValues {
  /** Pods of the Deployment. A PodDisruptionBudget is rendered when above 1. */
  readonly replicas: number;
  /** Image name without tag; the tag and digest come from `global.image` (image.yaml). */
  readonly image: {
    /** Registry host the image is pulled from: never left to Docker Hub by default. */
    readonly registry: string;
    readonly repository: string;
  };
  /** Ports the container listens on: the Service, containerPorts and probes use them. */
  readonly ports: readonly PortValues[];
  /** The main container's command, replacing the image's ENTRYPOINT; one argument per item, none empty. @default - the image's */
  readonly command?: readonly string[];
  /** The main container's arguments, replacing the image's CMD. @default - the image's */
  readonly args?: readonly string[];
  readonly securityContext: SecurityContextContract;
  readonly resources: ResourcesContract;
  /** Rendered into a ConfigMap the container takes as environment. */
  readonly configs?: { readonly [key: string]: string | number | boolean };
  readonly infisical?: InfisicalContract;
  readonly ingress?: IngressContract;
  /** Named rules (the name is the peer); the chart turns the maps into Cilium's lists. */
  readonly ciliumNetworkPolicy: CiliumPolicyContract;
  /** Health probes; the chart defaults to GET /health on the first port. */
  readonly probes?: ProbesContract;
  /** Names of docker-registry Secrets for private registries (GHCR). */
  readonly imagePullSecrets?: readonly string[];
  /** PersistentVolumeClaims by name, each mounted into the container. */
  readonly volumes?: { readonly [name: string]: VolumeContract };
  readonly serviceAccount?: ServiceAccountContract;
  /** Written by CI in image.yaml. */
  readonly global?: GlobalContract;
  /** Labels added to the pods: the component's `podLabels`, which other components' Cilium rules select. */
  readonly podLabels?: { readonly [key: string]: string };
  /** Annotations of the Deployment and its pods (image.yaml's provenance). */
  readonly annotations?: { readonly [key: string]: string };
  /** Set: the release is a CronJob instead of a Deployment, with no Service, PodDisruptionBudget, Ingress or probes. @default - a Deployment */
  readonly cronJob?: CronJobContract;
  /** Helm hook Jobs by name (a DNS label; the Job is `<release>-<name>`), with the release's image, configuration, secrets and pod security. @default - none */
  readonly hookJobs?: { readonly [name: string]: HookJobContract };
}

/** The values of dit-gateway: the golden values plus the gateway's routes and middlewares. */
export interface GatewayChartValues extends GoldenChartValues {
  /** The gateway's host in the environment. */
  readonly gateway?: { readonly host: string };
  /** Traefik Middleware specs by name. */
  readonly middlewares?: { readonly [name: string]: { readonly [kind: string]: unknown } };
  /** Routes by name. */
  readonly routes: { readonly [name: string]: RouteContract };
}

/** One listening port. */
export interface PortValues {
  /** IANA-style port name, `http` for the first port. */
  readonly name: string;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface SecurityContextContract {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly fsGroup?: number;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
}

export interface ResourcesContract {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface InfisicalContract {
  readonly enabled: boolean;
  readonly secretsScope: { readonly secretsPath: string; readonly envSlug?: string };
  /** The machine-identity token, sealed for the namespace. */
  readonly sealedSecret?: { readonly token: string };
}

export interface IngressContract {
  readonly enabled: boolean;
  readonly className: string;
  readonly annotations?: { readonly [key: string]: string };
  readonly hosts?: ReadonlyArray<{ readonly host: string; readonly paths: ReadonlyArray<{ readonly path: string; readonly pathType: 'Prefix' | 'Exact' | 'ImplementationSpecific' }> }>;
}

export interface CiliumPolicyContract {
  readonly enabled: boolean;
  readonly ingress?: { readonly [peer: string]: { readonly [field: string]: unknown } };
  readonly egress?: { readonly [peer: string]: { readonly [field: string]: unknown } };
}

export interface ProbesContract {
  /** Set false for a process with no health check at all; the lint then reports the missing probes. @default true */
  readonly enabled?: boolean;
  /** Path of the httpGet probes: it answers 200 when the app and its dependencies are up, 503 otherwise. @default '/health' */
  readonly path?: string;
  /** Port of the httpGet or tcpSocket probes: a number or a port name. @default - the first port (`http`) */
  readonly port?: number | string;
  /**
   * Check only that `port` accepts a TCP connection (tcpSocket) instead of GET `path`: for an
   * app that serves no health endpoint (a third-party image). Not with `command` or `path`.
   * @default false
   */
  readonly tcp?: boolean;
  /** A command run in the container instead of the httpGet or tcpSocket (exit 0 is healthy). @default - httpGet */
  readonly command?: readonly string[];
  /** @default - every 10s, 3 failures */
  readonly readiness?: ProbeTiming;
  /** @default - every 20s, 3 failures */
  readonly liveness?: ProbeTiming;
  /** @default - enabled, every 5s, 30 failures */
  readonly startup?: StartupProbeTiming;
}

/** When and how often a probe runs: Kubernetes' probe fields of the same names. */
export interface ProbeTiming {
  /** Seconds after the container starts before the first probe. @default 0 */
  readonly initialDelaySeconds?: number;
  /** Seconds between probes. @default - the chart's, per probe */
  readonly periodSeconds?: number;
  /** Seconds a probe may take. @default 1 */
  readonly timeoutSeconds?: number;
  /** Consecutive failures that fail the probe. @default - the chart's, per probe */
  readonly failureThreshold?: number;
}

/** The startup probe: the others wait until it succeeds, so a slow start is not a failure. */
export interface StartupProbeTiming extends ProbeTiming {
  /** @default true */
  readonly enabled?: boolean;
}

export interface VolumeContract {
  /** Where the volume is mounted, for example `/data`. */
  readonly mountPath: string;
  /** Requested storage, for example `8Gi`. */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadOnlyMany' | 'ReadWriteMany';
  /** Mount the volume read-only. @default false */
  readonly readOnly?: boolean;
}

export interface ServiceAccountContract {
  /** Mount the service account token into the pods. @default false */
  readonly automountToken?: boolean;
}

export interface GlobalContract {
  readonly image?: { readonly tag?: string; readonly digest?: string };
  /** Where image.yaml wrote provenance before it moved to `annotations`; still read. */
  readonly annotations?: { readonly [key: string]: string };
}

/** A CronJob's schedule and run policy: Kubernetes' fields of the same names. */
export interface CronJobContract {
  /** Five cron fields (`0 3 * * *`) or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`. */
  readonly schedule: string;
  /** An IANA time zone such as `Asia/Baghdad`. @default - the kube-controller-manager's (UTC) */
  readonly timeZone?: string;
  /** @default 'Forbid' */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Retries of a failed run. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds a run may take before it is stopped. @default - no limit */
  readonly activeDeadlineSeconds?: number;
  /** @default false */
  readonly suspend?: boolean;
  /** @default - Kubernetes' (3) */
  readonly successfulJobsHistoryLimit?: number;
  /** @default - Kubernetes' (1) */
  readonly failedJobsHistoryLimit?: number;
}

/** A Helm hook Job (a database migration): the release's pod with another command, restartPolicy Never. */
export interface HookJobContract {
  /** What the Job runs, one argument per item. */
  readonly command: readonly string[];
  /** @default - none */
  readonly args?: readonly string[];
  /** When Helm runs it. A pre-install hook would run before the release's ConfigMap and Secret exist. @default ['post-install', 'pre-upgrade'] */
  readonly hooks?: ReadonlyArray<'pre-install' | 'post-install' | 'pre-upgrade' | 'post-upgrade'>;
  /** `helm.sh/hook-weight`: lower runs first. @default 0 */
  readonly weight?: number;
  /** Retries of a failed run. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds the Job may take; keep the HelmRelease `timeout` (Flux's default 5m) above it. @default 600 */
  readonly activeDeadlineSeconds?: number;
}

export interface RouteContract {
  readonly match?: { readonly host?: string; readonly pathPrefix?: string };
  readonly service: { readonly name: string; readonly port: number };
  readonly middlewares?: readonly string[];
}

/** The charts' default `ports`: one TCP port 8080 named http. Values leave it out when equal. */
export const DEFAULT_PORT_VALUES: readonly PortValues[] = [{ name: 'http', port: 8080, protocol: 'TCP' }];

/**
 * The `ports` value of a component: the first is `http` (probes and the Ingress use it), the
 * others `<protocol>-<number>`. A port open to any protocol listens on TCP.
 */
export function renderPortValues(ports: readonly Port[]): PortValues[] {
  return ports.map((p, i) => {
    const protocol = p.protocol === Protocol.ANY ? 'TCP' : p.protocol;
    return { name: i === 0 ? 'http' : `${protocol.toLowerCase()}-${p.number}`, port: p.number, protocol };
  });
}
