import { registryHostOf } from './image-registry';

/** An image reference split into its parts. */
export interface ImageReference {
  /** Registry host, when the reference names one. @default - Docker Hub */
  readonly registry?: string;
  /** Path without registry, for example `org/svc` or `node`. */
  readonly path: string;
  readonly tag: string;
  /** Whether the tag was written (false: compose pulls `latest`). */
  readonly tagGiven: boolean;
  readonly digest?: string;
}

// name components, `[registry/]path[:tag][@sha256:digest]` (distribution reference grammar, simplified).
const REFERENCE = /^(?:([a-zA-Z0-9.-]+(?::[0-9]+)?)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

/** Splits `ghcr.io/org/svc:sha-abc@sha256:…`; undefined when it is no image reference. */
export function parseImage(image: string): ImageReference | undefined {
  const m = REFERENCE.exec(image);
  if (!m) return undefined;
  const [, , , tag, digest] = m;
  let registry: string | undefined = m[1];
  let path = m[2];
  // `org/app` names a Docker Hub path, not a registry: a registry host has a dot, a port or is localhost.
  if (registry !== undefined && registryHostOf(`${registry}/${path}`) === undefined) {
    path = `${registry}/${path}`;
    registry = undefined;
  }
  return { ...(registry ? { registry } : {}), path, tag: tag ?? 'latest', tagGiven: tag !== undefined, ...(digest ? { digest } : {}) };
}
