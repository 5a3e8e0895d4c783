import { Construct } from 'constructs';
import { DitApi } from './dit-api';
import { GoldenChartComponent, GoldenChartOverride, GoldenChartProps } from './golden-chart';
import type { ValidationScope } from './component';

/** What may differ per environment for a worker: everything but what serves traffic. */
export type DitWorkerOverride = Omit<GoldenChartOverride, 'ingress'>;

/** Props of {@link DitWorker}. */
export interface DitWorkerProps extends Omit<GoldenChartProps, 'ports' | 'ingress' | 'overrides'> {
  /**
   * A worker serves no HTTP: its probes are an exec check (`probes.command`) or none.
   * @default - none (`probes: { enabled: false }`): the process running is the only signal
   */
  readonly probes?: GoldenChartProps['probes'];
  /** @default - none */
  readonly overrides?: { readonly [environment: string]: DitWorkerOverride };
}

/**
 * A long-running process that serves nothing (a Celery or Sidekiq worker, a queue consumer):
 * a Deployment of the golden chart dit-common-api with no port, so no Service, no Ingress and
 * no HTTP probe; nothing may connect to it. It takes connections, Infisical secrets and the
 * security defaults as any component does.
 */
export class DitWorker extends GoldenChartComponent {
  private readonly givenPorts: unknown;

  constructor(scope: Construct, id: string, props: DitWorkerProps = {}) {
    super(scope, id, { chart: DitApi.CHART, defaultUser: 1654 }, { ...props, ports: [], probes: props.probes ?? { enabled: false } });
    this.givenPorts = (props as { ports?: unknown }).ports;
    this.connections.denyAllIngress();
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    this.checkServesNothing(this.givenPorts, scope, 'a worker');
  }
}
