import { Construct } from 'constructs';
import { GoldenChartComponent, GoldenChartProps } from './golden-chart';

/** Props of {@link DitApi}. */
export interface DitApiProps extends GoldenChartProps {}

/**
 * A backend API (.NET, Node, Go) deployed with the golden chart `dit-common-api`. Its images
 * run as the .NET `app` user (1654) unless securityContext says otherwise.
 */
export class DitApi extends GoldenChartComponent {
  public static readonly CHART = 'dit-common-api';

  constructor(scope: Construct, id: string, props: DitApiProps = {}) {
    super(scope, id, { chart: DitApi.CHART, defaultUser: 1654 }, props);
  }
}
