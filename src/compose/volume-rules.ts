import { looksLikeSecret } from '../components/secrets';
import { ComposeModel, ComposeService } from './compose-model';
import { ChartPlan } from './component-plan';
import type { VolumeValues } from '../components/chart-values';
import { proposeDnsName } from './compose-loader';
import { DatabaseChart, ImageReference } from './service-rules';

const DEFAULT_SIZE = '10Gi';
const BITNAMI = 'oci://registry-1.docker.io/bitnamicharts';

/**
 * Named volumes become the golden chart's `volumes`: PVCs the chart creates ReadWriteOnce
 * (its default), 10Gi unless x-dit.volumeSize says otherwise. Bind mounts, tmpfs and
 * anonymous volumes have no cluster meaning and are reported.
 */
export function planVolumes(service: ComposeService, model: ComposeModel, note: (message: string) => void): { [name: string]: VolumeValues } {
  const claims: { [name: string]: VolumeValues } = {};
  const size = service.dit.volumeSize ?? DEFAULT_SIZE;
  for (const mount of service.volumes) {
    if (mount.type === 'bind') {
      note(`bind mount ${mount.source}:${mount.target} not supported (host paths do not exist in the cluster; build it into the image or use a ConfigMap)`);
    } else if (mount.type !== 'volume') {
      note(`${mount.type} mount at ${mount.target} not supported`);
    } else if (!mount.source) {
      note(`anonymous volume at ${mount.target} not carried over (it lives as long as the container)`);
    } else if (model.volumes[mount.source]?.external) {
      note(`volume ${mount.source} is external: not created here; mount it by hand`);
    } else if (mount.target === '/tmp') {
      note(`volume ${mount.source} at /tmp not carried over (the chart mounts an emptyDir at /tmp)`);
    } else if (claims[proposeDnsName(mount.source)]) {
      note(`volume ${mount.source} at ${mount.target} not carried over (mounted at ${claims[proposeDnsName(mount.source)].mountPath} already; one mount per volume)`);
    } else {
      const name = proposeDnsName(mount.source);
      claims[name] = { mountPath: mount.target, size, ...(mount.readOnly ? { readOnly: true } : {}) };
      const sharedWith = model.services.filter((s) => s.name !== service.name && s.volumes.some((v) => v.type === 'volume' && v.source === mount.source)).map((s) => s.name);
      note(`volume ${mount.source} → PVC ${service.name}-${name} ReadWriteOnce ${size} at ${mount.target}${service.dit.volumeSize ? ' (size from x-dit.volumeSize)' : ''}${sharedWith.length > 0 ? `; also mounted by ${sharedWith.join(', ')}: ReadWriteOnce mounts on one node only` : ''}`);
    }
  }
  return claims;
}

// Compose variables of the official images that the Bitnami charts take under auth.
const AUTH_KEYS: { readonly [chart: string]: { readonly [env: string]: string } } = {
  postgresql: { POSTGRES_DB: 'database', POSTGRES_USER: 'username' },
  mysql: { MYSQL_DATABASE: 'database', MYSQL_USER: 'username' },
  mariadb: { MARIADB_DATABASE: 'database', MYSQL_DATABASE: 'database', MARIADB_USER: 'username', MYSQL_USER: 'username' },
  mongodb: { MONGO_INITDB_DATABASE: 'databases' },
};
const EXISTING_SECRET_KEY: { readonly [chart: string]: string } = {
  postgresql: 'existingSecret', mysql: 'existingSecret', mariadb: 'existingSecret', mongodb: 'existingSecret', redis: 'existingSecret',
  valkey: 'existingSecret', rabbitmq: 'existingPasswordSecret',
};

/**
 * A database service as a Bitnami chart: database and user names carried into `auth`,
 * passwords and compose secrets replaced by an existing Secret (filled from Infisical), and the
 * named volume's size as the chart's persistence size.
 */
export function planDatabase(service: ComposeService, model: ComposeModel, db: DatabaseChart, image: ImageReference | undefined, note: (message: string) => void): Omit<ChartPlan, 'suspend'> {
  const auth: { [key: string]: unknown } = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(service.environment)) {
    const target = AUTH_KEYS[db.chart]?.[key];
    if (value === undefined) note(`env ${key} has no value (compose passes it from the host): not set`);
    else if (looksLikeSecret(key, value) || /PASSWORD/.test(key)) secretKeys.push(key);
    else if (target) {
      auth[target] = target === 'databases' ? [value] : value;
      note(`env ${key} → auth.${target}`);
    } else note(`env ${key} not carried over (the ${db.chart} chart configures the database through its values)`);
  }
  const secretKey = EXISTING_SECRET_KEY[db.chart];
  if ((secretKeys.length > 0 || service.secrets.length > 0) && secretKey) {
    auth[secretKey] = `${service.name}-auth`;
    const from = [...secretKeys.map((k) => `env ${k}`), ...service.secrets.map((s) => `secret ${s.source}`)].join(', ');
    note(`${from} → auth.${secretKey} ${service.name}-auth: an Infisical-managed Secret (/${service.name}); no value written`);
  }
  const volumes = service.volumes.filter((v) => v.type === 'volume' && v.source && !model.volumes[v.source]?.external);
  const size = service.dit.volumeSize ?? DEFAULT_SIZE;
  const values: { [key: string]: unknown } = {};
  if (Object.keys(auth).length > 0) values.auth = auth;
  setPath(values, db.sizePath, size);
  note(`${volumes.length > 0 ? `volume ${volumes[0].source}` : 'no named volume'} → ${db.sizePath.join('.')} ${size}${service.dit.volumeSize ? ' (x-dit.volumeSize)' : ''}`);
  for (const mount of service.volumes.filter((v) => !volumes.includes(v))) note(`${mount.type} mount ${mount.source ?? ''}:${mount.target} not carried over (the chart owns the database's storage)`);
  if (service.healthcheck) note('healthcheck left to the chart\'s own probes');
  const version = service.dit.chartVersion ?? '*';
  note(`Bitnami chart ${db.chart} from ${BITNAMI} (${service.dit.chartVersion ? `version ${version} from x-dit.chartVersion` : 'version unpinned: set x-dit.chartVersion once tested'})${image?.tagGiven && !isChartImage(image, db) ? `; the chart's image replaces ${service.image}` : ''}`);
  // Only a digest of the chart's own image can pin it: the official image's digest names another image.
  const digest = service.dit.imageDigest ?? (isChartImage(image, db) ? image?.digest : undefined);
  if (digest) {
    values.image = { digest };
    note(`image.digest ${digest} (${service.dit.imageDigest ? 'x-dit.imageDigest' : 'the compose reference'}): the chart's image is pinned`);
  } else if (image?.digest) {
    note(`digest of ${service.image} not used: it pins that image, not the chart's bitnami/${db.chart}; set x-dit.imageDigest to the chart image's digest`);
  }
  return { repository: BITNAMI, chart: db.chart, version, values };
}

/** Whether the compose image is the one the Bitnami chart runs (docker.io bitnami/<chart>). */
function isChartImage(image: ImageReference | undefined, db: DatabaseChart): boolean {
  return image !== undefined && (image.registry === undefined || image.registry === 'docker.io') && image.path === `bitnami/${db.chart}`;
}

function setPath(target: { [key: string]: unknown }, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as { [key: string]: unknown };
  node[path[path.length - 1]] = value;
}
