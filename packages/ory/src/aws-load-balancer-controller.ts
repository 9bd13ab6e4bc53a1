import { Release } from '@cdktf/provider-helm/lib/release';
import { LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT } from '@crdb-ory/eks';
import { Construct } from 'constructs';
import { renderHelmValues } from './ory-release';

export const LOAD_BALANCER_CONTROLLER_CHART_REPOSITORY = 'https://aws.github.io/eks-charts';

export interface AwsLoadBalancerControllerProps {
  readonly clusterName: string;
  readonly region: string;
  /** VPC of the cluster (saves the controller an EC2 metadata lookup). */
  readonly vpcId: string;
  /** Version of the `aws-load-balancer-controller` chart. @default '1.14.0' (controller v2.14.0) */
  readonly chartVersion?: string;
  /** Controller replicas (leader-elected). @default 2 */
  readonly replicas?: number;
}

/** The AWS Load Balancer Controller chart version the ory stack installs (`loadBalancerControllerChartVersion`). */
export const DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION = '1.14.0';

/**
 * The AWS Load Balancer Controller, which turns the Ory Ingresses into one ALB. Its
 * permissions come from the EKS stack, which owns the IAM role and its Pod Identity
 * association with this service account (`kube-system/aws-load-balancer-controller`).
 */
export class AwsLoadBalancerController extends Construct {
  readonly release: Release;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    this.release = new Release(this, 'release', {
      name: 'aws-load-balancer-controller',
      repository: LOAD_BALANCER_CONTROLLER_CHART_REPOSITORY,
      chart: 'aws-load-balancer-controller',
      version: props.chartVersion ?? DEFAULT_LOAD_BALANCER_CONTROLLER_CHART_VERSION,
      namespace: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.namespace,
      atomic: true,
      cleanupOnFail: true,
      values: [
        renderHelmValues({
          clusterName: props.clusterName,
          region: props.region,
          vpcId: props.vpcId,
          replicaCount: props.replicas ?? 2,
          serviceAccount: { create: true, name: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.serviceAccount },
        }),
      ],
    });
  }
}
