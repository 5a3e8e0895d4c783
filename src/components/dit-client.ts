import { Construct } from 'constructs';
import { GoldenChartComponent, GoldenChartProps } from './golden-chart';

/** Props of {@link DitClient}. */
export interface DitClientProps extends GoldenChartProps {}

/**
 * A front-end web application deployed with the golden chart `dit-common-client`. Its
 * images are nginx-unprivileged based and run as user 101 unless securityContext says otherwise.
 */
export class DitClient extends GoldenChartComponent {
  public static readonly CHART = 'dit-common-client';

  constructor(scope: Construct, id: string, props: DitClientProps = {}) {
    super(scope, id, { chart: DitClient.CHART, defaultUser: 101 }, props);
  }
}
