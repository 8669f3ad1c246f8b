/**
 * ECS wire shapes (camelCase, as the ECS API names them). Timestamps are epoch milliseconds here;
 * the HTTP layer writes them as epoch seconds, as ECS's JSON protocol does.
 */
import type { ContainerDefinitionShape } from '../tasks/launch-plan.build.ts';

export interface Tag {
  key?: string;
  value?: string;
}

export interface ClusterSetting {
  name: 'containerInsights';
  value: string;
}

export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  statistics: { name: string; value: string }[];
  tags: Tag[];
  settings: ClusterSetting[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
}

export interface ContainerDefinition extends ContainerDefinitionShape {
  name: string;
  image: string;
  essential?: boolean;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  secrets?: { name: string; valueFrom: string }[];
  [member: string]: unknown;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinition[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode?: string;
  volumes: unknown[];
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  requiresAttributes: { name: string }[];
  placementConstraints: unknown[];
  compatibilities: string[];
  requiresCompatibilities?: string[];
  cpu?: string;
  memory?: string;
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
  ephemeralStorage?: { sizeInGiB: number };
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  [member: string]: unknown;
}

export interface NetworkConfiguration {
  awsvpcConfiguration?: {
    subnets?: string[];
    securityGroups?: string[];
    assignPublicIp?: string;
  };
}

export interface ContainerOverride {
  name?: string;
  command?: string[];
  environment?: { name?: string; value?: string }[];
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
}

export interface TaskOverride {
  containerOverrides?: ContainerOverride[];
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  ephemeralStorage?: { sizeInGiB: number };
}

export interface Container {
  containerArn: string;
  taskArn: string;
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
  networkInterfaces: { attachmentId: string; privateIpv4Address: string }[];
}

export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  platformFamily?: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  group: string;
  startedBy?: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  lastStatus: string;
  connectivity?: string;
  connectivityAt?: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  overrides: TaskOverride;
  attachments: {
    id: string;
    type: string;
    status: string;
    details: { name: string; value: string }[];
  }[];
  containers: Container[];
  tags: Tag[];
  enableExecuteCommand: boolean;
  ephemeralStorage?: { sizeInGiB: number };
  version: number;
}

export interface Failure {
  arn?: string;
  reason?: string;
  detail?: string;
}
