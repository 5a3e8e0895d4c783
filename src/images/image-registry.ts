import { DitError, DitErrorLocation, received } from '../app/errors';
import { assertDnsSubdomain } from '../app/kubernetes-names';

/** Options of a registry. */
export interface ImageRegistryOptions {
  /**
   * docker-registry Secret (in each environment's namespace) that pods pull with and Flux's
   * ImageRepository scans with. Declared here, it is taken to exist in the cluster.
   * @default - `<host with dots as dashes>-auth` (`ghcr-auth` for ghcr.io); none for Docker Hub
   */
  readonly pullSecret?: string;
}

/**
 * The registry a team's images are pulled from: its host and the pull secret that opens it.
 * One setting (the app, an environment or a component), read by the golden charts
 * (`image.registry`, `imagePullSecrets`), Flux's ImageRepository and `dit-gitops verify`, so
 * the image a pod runs is the image automation watches.
 */
export class ImageRegistry {
  /** GitHub's container registry, with the `ghcr-auth` pull secret. */
  public static ghcr(options: ImageRegistryOptions = {}): ImageRegistry {
    return new ImageRegistry('ghcr.io', options.pullSecret ?? 'ghcr-auth');
  }

  /** A registry by host (`reg.dev.krd`, `registry.example.com:5000`). */
  public static of(host: string, options: ImageRegistryOptions = {}): ImageRegistry {
    return new ImageRegistry(host, options.pullSecret ?? `${host.replace(/:\d+$/, '').replace(/\./g, '-')}-auth`);
  }

  /**
   * Docker Hub, chosen explicitly: short names such as `nginx` are pulled from it. No pull
   * secret unless one is given (public images).
   */
  public static dockerHub(options: ImageRegistryOptions = {}): ImageRegistry {
    return new ImageRegistry('docker.io', options.pullSecret);
  }

  private constructor(
    /** Host (and port) of the registry, as it prefixes image names. */
    public readonly host: string,
    /** The pull secret's name. */
    public readonly pullSecret: string | undefined,
  ) {}

  /** The full image name of `repository` (a path without host) in this registry. */
  public imageName(repository: string): string {
    return `${this.host}/${repository}`;
  }

  /** Throws when the host or pull secret cannot be what they claim to be. */
  public validate(where: DitErrorLocation): void {
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/.test(this.host) || !(this.host.includes('.') || this.host.includes(':') || this.host === 'localhost')) {
      throw new DitError({ ...where, field: `${where.field}.host` }, `got ${received(this.host)}; expected a registry host such as ghcr.io or reg.dev.krd (a DNS name with a dot, optionally :port)`);
    }
    if (this.pullSecret !== undefined) assertDnsSubdomain(this.pullSecret, { ...where, field: `${where.field}.pullSecret` });
  }
}

/**
 * The registry host a repository already names (`ghcr.io/org/app` → `ghcr.io`), as a container
 * runtime reads it: the first path component, when it has a dot or a port or is localhost.
 */
export function registryHostOf(repository: string): string | undefined {
  const first = repository.split('/')[0];
  return repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
}
