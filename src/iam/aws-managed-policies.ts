/**
 * AWS-managed policies a scheduled-container system attaches, with their documents as AWS
 * publishes them (AWS managed policy reference). They exist in every account, cannot be created
 * or deleted, and are listed by ListPolicies with `Scope=AWS` or `All`.
 */

/** One AWS-managed policy: its ARN path, name, default version and document. */
export interface AwsManagedPolicy {
  readonly name: string;
  readonly path: string;
  readonly versionId: string;
  readonly description: string;
  /** Creation and last edit (ms since the epoch), as the reference lists them. */
  readonly createDate: number;
  readonly updateDate: number;
  readonly document: object;
}

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AmazonECSTaskExecutionRolePolicy',
    path: '/service-role/',
    versionId: 'v1',
    description:
      'Provides access to other AWS service resources that are required to run Amazon ECS tasks',
    createDate: Date.UTC(2017, 10, 16, 18, 48, 22),
    updateDate: Date.UTC(2017, 10, 16, 18, 48, 22),
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'ecr:GetAuthorizationToken',
            'ecr:BatchCheckLayerAvailability',
            'ecr:GetDownloadUrlForLayer',
            'ecr:BatchGetImage',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
          ],
          Resource: '*',
        },
      ],
    },
  },
  {
    name: 'AmazonEC2ContainerServiceEventsRole',
    path: '/service-role/',
    versionId: 'v3',
    description: 'Policy to enable CloudWatch Events for EC2 Container Service',
    createDate: Date.UTC(2017, 4, 30, 16, 51),
    updateDate: Date.UTC(2023, 2, 6, 22, 25),
    document: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ecs:RunTask'], Resource: ['*'] },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: ['*'],
          Condition: { StringLike: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'ecs:CreateAction': ['RunTask'] } },
        },
      ],
    },
  },
  // Unlike the two above, this document is the policy's long-standing `logs:*` form, not checked
  // against the current reference page (AWS has since added statements to later versions).
  {
    name: 'CloudWatchLogsFullAccess',
    path: '/',
    versionId: 'v1',
    description: 'Provides full access to CloudWatch Logs',
    createDate: Date.UTC(2015, 1, 6, 18, 40, 2),
    updateDate: Date.UTC(2015, 1, 6, 18, 40, 2),
    document: {
      Version: '2012-10-17',
      Statement: [{ Action: ['logs:*'], Effect: 'Allow', Resource: '*' }],
    },
  },
];

/** `arn:<partition>:iam::aws:policy<path><name>`. */
export function awsManagedPolicyArn(partition: string, policy: AwsManagedPolicy): string {
  return `arn:${partition}:iam::aws:policy${policy.path}${policy.name}`;
}
