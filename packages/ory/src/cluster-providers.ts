import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';

export interface ClusterConnection {
  readonly clusterName: string;
  readonly clusterEndpoint: string;
  /** Base64 PEM of the cluster CA (kubeconfig `certificate-authority-data`). */
  readonly clusterCertificateAuthorityData: string;
  readonly region: string;
}

const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/**
 * The kubernetes and helm providers for an EKS cluster. They authenticate with `aws eks
 * get-token` at plan/apply time, so no token is ever written to the state; the caller needs
 * the AWS CLI and an identity with an EKS access entry.
 */
export function configureClusterProviders(scope: Construct, cluster: ClusterConnection): { kubernetes: KubernetesProvider; helm: HelmProvider } {
  const host = cluster.clusterEndpoint;
  const clusterCaCertificate = Fn.base64decode(cluster.clusterCertificateAuthorityData);
  const exec = {
    apiVersion: EXEC_API_VERSION,
    command: 'aws',
    args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', cluster.region, '--output', 'json'],
  };
  // The kubernetes provider takes `exec` as a block (list); helm v3 takes an object.
  const kubernetes = new KubernetesProvider(scope, 'kubernetes', { host, clusterCaCertificate, exec: [exec] });
  const helm = new HelmProvider(scope, 'helm', { kubernetes: { host, clusterCaCertificate, exec } });
  return { kubernetes, helm };
}
