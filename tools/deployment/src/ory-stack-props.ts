import type { OryStackProps, OryWorkloadSettings } from '@crdb-ory/ory';
import type { DeploymentConfig } from './config';
import type { OryConfig } from './config/ory-config';
import { stateBackendOf } from './state-backend';

type WorkloadConfig = OryConfig['hydra'] | OryConfig['kratos'] | OryConfig['keto'];

/** The `ory` stack's props from the validated configuration. */
export function oryStackProps(config: DeploymentConfig): OryStackProps {
  const ory = config.ory;
  return {
    stateBackend: stateBackendOf(config),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    publicAccessCidrs: config.publicAccessCidrs,
    clusterApiAccess: { endpointPublicAccessCidrs: config.eks.endpointPublicAccessCidrs, endpointPrivateAccessCidrs: config.eks.endpointPrivateAccessCidrs },
    domain: config.domain,
    namespace: ory.namespace,
    chartRepository: ory.chartRepository,
    chartVersion: ory.chartVersion,
    loadBalancerControllerChartVersion: ory.loadBalancerControllerChartVersion,
    hydra: workload(ory.hydra),
    kratos: workload(ory.kratos),
    keto: workload(ory.keto),
    hydraIssuerUrl: ory.hydra.issuerUrl,
    hydraMaesterEnabled: ory.hydra.maesterEnabled,
    kratosPublicUrl: ory.kratos.publicUrl,
    kratosBreachedPasswordCheck: ory.kratos.breachedPasswordCheck,
    ketoNamespaces: ory.keto.namespaces,
    exposeKetoReadApi: ory.keto.exposeReadApi,
    sqlMaxConns: ory.sql.maxConns,
    sqlMaxConnLifetimeSeconds: ory.sql.maxConnLifetimeSeconds,
    publicLoadBalancerAlarms: config.monitoring.enabled,
    certificateExpiryAlarmDays: config.monitoring.enabled ? config.monitoring.certificateExpiryAlarmDays : false,
    apiClients: ory.apiClients,
  };
}

function workload(settings: WorkloadConfig): OryWorkloadSettings {
  const { replicas, imageTag, cpuRequest, memoryRequest, memoryLimit } = settings;
  return { replicas, imageTag, cpuRequest, memoryRequest, memoryLimit };
}
