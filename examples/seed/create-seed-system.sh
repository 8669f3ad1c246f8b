#!/usr/bin/env bash
# The seed system, built with nothing but the AWS CLI against cronbridge:
#
#   EventBridge rule rate(1 minute) ──> ECS RunTask (Fargate, awsvpc) ──> awslogs ──> CloudWatch Logs
#
# It creates the cluster, the log group, the task definition and the rule, looks up the region's
# default subnets and security group (EC2) for the rule's ECS target, then runs the job once by
# hand, waits for it to stop and reads its output back from CloudWatch Logs. The same commands work
# against AWS itself (there, the region needs its default VPC). It also makes the two IAM roles
# the system runs on, with the policies AWS requires of them.
#
# Usage:  cronbridge up   # in another terminal
#         examples/seed/create-seed-system.sh
#
# Settings (environment):
#   CRONBRIDGE_ENDPOINT  API endpoint                           default http://127.0.0.1:4566
#   AWS_CLI              AWS CLI v2 binary                      default /usr/bin/aws
#   IMAGE                the job's container image              default cronbridge-test/busybox:latest
#   AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_DEFAULT_REGION   default test / test / us-east-1
#   SEED_NAME            prefix of every name it creates        default seed
#   SEED_WORK_DIR        keep the JSON request files there      default a temporary directory
# Re-running is safe: the cluster and the log group are reused, the task definition gets a new
# revision, and the rule and its target are replaced.
set -euo pipefail

ENDPOINT="${CRONBRIDGE_ENDPOINT:-http://127.0.0.1:4566}"
AWS_CLI="${AWS_CLI:-/usr/bin/aws}"
IMAGE="${IMAGE:-cronbridge-test/busybox:latest}"
NAME="${SEED_NAME:-seed}"

# cronbridge accepts any key pair (it does not check signatures yet); the CLI insists on having one.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-${AWS_REGION:-us-east-1}}"
export AWS_PAGER=""
REGION="$AWS_DEFAULT_REGION"

CLUSTER="$NAME"                 # ECS cluster
FAMILY="$NAME-job"              # task definition family
CONTAINER="job"                 # the one container in the task
LOG_GROUP="/ecs/$NAME-job"      # where awslogs sends the container's output
RULE="$NAME-every-minute"       # the EventBridge rule
TARGET_ID="$NAME-job"           # the rule's ECS target

step=0
step() {
  step=$((step + 1))
  printf '\n== %d. %s\n' "$step" "$*"
}
say() { printf '   %s\n' "$*"; }
fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Every call goes to cronbridge, never to AWS.
aws() { "$AWS_CLI" --endpoint-url "$ENDPOINT" "$@"; }

[ -x "$AWS_CLI" ] || fail "no AWS CLI at $AWS_CLI (set AWS_CLI to an AWS CLI v2)"
case "$("$AWS_CLI" --version 2>&1)" in
  aws-cli/2.*) ;;
  *) fail "$AWS_CLI is not the AWS CLI v2 ($("$AWS_CLI" --version 2>&1))" ;;
esac

if [ -n "${SEED_WORK_DIR:-}" ]; then
  WORK_DIR="$SEED_WORK_DIR"
  mkdir -p "$WORK_DIR"
else
  WORK_DIR="$(mktemp -d)"
  trap 'rm -rf "$WORK_DIR"' EXIT
fi

step "Who am I? (STS GetCallerIdentity at $ENDPOINT)"
ACCOUNT="$(aws sts get-caller-identity --query Account --output text)" ||
  fail "no answer from $ENDPOINT — is 'cronbridge up' running?"
say "account $ACCOUNT, region $REGION"
EXECUTION_ROLE_ARN="arn:aws:iam::$ACCOUNT:role/ecsTaskExecutionRole"
EVENTS_ROLE_ARN="arn:aws:iam::$ACCOUNT:role/ecsEventsRole"

step "IAM roles: '${EXECUTION_ROLE_ARN##*/}' (awslogs writes) and '${EVENTS_ROLE_ARN##*/}' (EventBridge runs the task)"
# cronbridge enforces both as AWS does: the rule's target runs only if EventBridge may assume the
# events role and that role may run the task on this cluster and pass the execution role to ECS;
# the task logs only if its execution role may write the log group.
role() { # name, trusted service
  if aws iam get-role --role-name "$1" >/dev/null 2>&1; then
    say "role $1 already there; reusing it"
    return
  fi
  aws iam create-role --role-name "$1" --query Role.Arn --output text \
    --assume-role-policy-document "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"$2\"},\"Action\":\"sts:AssumeRole\"}]}" |
    sed 's/^/   created /'
}
role "${EXECUTION_ROLE_ARN##*/}" ecs-tasks.amazonaws.com
cat >"$WORK_DIR/execution-policy.json" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
      "Resource": "arn:aws:logs:$REGION:$ACCOUNT:log-group:$LOG_GROUP:*"
    }
  ]
}
JSON
aws iam put-role-policy --role-name "${EXECUTION_ROLE_ARN##*/}" --policy-name "$NAME-awslogs" \
  --policy-document "file://$WORK_DIR/execution-policy.json"
role "${EVENTS_ROLE_ARN##*/}" events.amazonaws.com
cat >"$WORK_DIR/events-policy.json" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ecs:RunTask",
      "Resource": "arn:aws:ecs:$REGION:$ACCOUNT:task-definition/$FAMILY:*",
      "Condition": { "ArnEquals": { "ecs:cluster": "arn:aws:ecs:$REGION:$ACCOUNT:cluster/$CLUSTER" } }
    },
    {
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "$EXECUTION_ROLE_ARN",
      "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }
    }
  ]
}
JSON
aws iam put-role-policy --role-name "${EVENTS_ROLE_ARN##*/}" --policy-name "$NAME-run-task" \
  --policy-document "file://$WORK_DIR/events-policy.json"
say "policies in place"

step "ECS cluster '$CLUSTER' (Fargate capacity, Container Insights on)"
CLUSTER_ARN="$(aws ecs create-cluster \
  --cluster-name "$CLUSTER" \
  --capacity-providers FARGATE \
  --default-capacity-provider-strategy capacityProvider=FARGATE,weight=1 \
  --settings name=containerInsights,value=enabled \
  --query cluster.clusterArn --output text)"
say "$CLUSTER_ARN"

step "CloudWatch Logs group '$LOG_GROUP'"
existing="$(aws logs describe-log-groups --log-group-name-prefix "$LOG_GROUP" \
  --query "length(logGroups[?logGroupName=='$LOG_GROUP'])" --output text)"
if [ "$existing" = "0" ]; then
  aws logs create-log-group --log-group-name "$LOG_GROUP"
  say "created"
else
  say "already there; reusing it"
fi

step "Task definition '$FAMILY' (Fargate, awsvpc, 0.25 vCPU, 512 MiB, awslogs)"
cat >"$WORK_DIR/task-definition.json" <<JSON
{
  "family": "$FAMILY",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "executionRoleArn": "$EXECUTION_ROLE_ARN",
  "containerDefinitions": [
    {
      "name": "$CONTAINER",
      "image": "$IMAGE",
      "essential": true,
      "command": [
        "sh", "-c",
        "echo 'seed job: starting'; echo 'seed job: processed 3 items'; echo 'seed job: finished'"
      ],
      "logConfiguration": {
        "logDriver": "awslogs",
        "options": {
          "awslogs-group": "$LOG_GROUP",
          "awslogs-region": "$REGION",
          "awslogs-stream-prefix": "ecs"
        }
      }
    }
  ],
  "tags": [
    { "key": "app", "value": "$NAME" },
    { "key": "team", "value": "platform" }
  ]
}
JSON
TASK_DEFINITION_ARN="$(aws ecs register-task-definition \
  --cli-input-json "file://$WORK_DIR/task-definition.json" \
  --query taskDefinition.taskDefinitionArn --output text)"
say "$TASK_DEFINITION_ARN"

step "EventBridge rule '$RULE': rate(1 minute)"
RULE_ARN="$(aws events put-rule \
  --name "$RULE" \
  --schedule-expression 'rate(1 minute)' \
  --state ENABLED \
  --description "Runs $FAMILY on $CLUSTER every minute" \
  --query RuleArn --output text)"
say "$RULE_ARN"

step "Default subnets and security group of $REGION (ec2 describe-subnets, describe-security-groups)"
# RunTask accepts only subnets and security groups that exist in its region; every region has a
# default VPC with one default subnet per zone and a 'default' security group.
SUBNET_A="" SUBNET_B=""
read -r SUBNET_A SUBNET_B _ < <(aws ec2 describe-subnets \
  --filters Name=default-for-az,Values=true \
  --query 'sort_by(Subnets, &AvailabilityZone)[].SubnetId' --output text) || true
SECURITY_GROUP="$(aws ec2 describe-security-groups --group-names default \
  --query 'SecurityGroups[0].GroupId' --output text)"
[ -n "$SUBNET_B" ] && [ "$SECURITY_GROUP" != "None" ] ||
  fail "no default VPC in $REGION (two default subnets and the default security group needed)"
say "subnets $SUBNET_A $SUBNET_B, security group $SECURITY_GROUP"

step "ECS target '$TARGET_ID' on the rule (1 Fargate task, tags from the task definition)"
cat >"$WORK_DIR/targets.json" <<JSON
[
  {
    "Id": "$TARGET_ID",
    "Arn": "$CLUSTER_ARN",
    "RoleArn": "$EVENTS_ROLE_ARN",
    "EcsParameters": {
      "TaskDefinitionArn": "$TASK_DEFINITION_ARN",
      "TaskCount": 1,
      "LaunchType": "FARGATE",
      "PlatformVersion": "LATEST",
      "PropagateTags": "TASK_DEFINITION",
      "NetworkConfiguration": {
        "awsvpcConfiguration": {
          "Subnets": ["$SUBNET_A", "$SUBNET_B"],
          "SecurityGroups": ["$SECURITY_GROUP"],
          "AssignPublicIp": "ENABLED"
        }
      }
    }
  }
]
JSON
failed="$(aws events put-targets --rule "$RULE" --targets "file://$WORK_DIR/targets.json" \
  --query FailedEntryCount --output text)"
[ "$failed" = "0" ] || fail "put-targets rejected $failed target(s)"
say "the rule now starts $FAMILY every minute"

step "Run the job once now, as the rule would (ecs run-task)"
TASK_ARN="$(aws ecs run-task \
  --cluster "$CLUSTER" \
  --task-definition "$TASK_DEFINITION_ARN" \
  --count 1 \
  --launch-type FARGATE \
  --platform-version LATEST \
  --propagate-tags TASK_DEFINITION \
  --network-configuration "awsvpcConfiguration={subnets=[$SUBNET_A,$SUBNET_B],securityGroups=[$SECURITY_GROUP],assignPublicIp=ENABLED}" \
  --query 'tasks[0].taskArn' --output text)"
[ "$TASK_ARN" != "None" ] || fail "run-task started no task"
TASK_ID="${TASK_ARN##*/}"
say "task ARN: $TASK_ARN"

step "Wait until it stops (ecs wait tasks-stopped polls every 6 seconds)"
aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$TASK_ARN"
read -r LAST_STATUS STOP_CODE EXIT_CODE < <(aws ecs describe-tasks \
  --cluster "$CLUSTER" --tasks "$TASK_ARN" \
  --query 'tasks[0].[lastStatus, stopCode, containers[0].exitCode]' --output text)
say "lastStatus $LAST_STATUS, stopCode $STOP_CODE, exit code $EXIT_CODE"
if [ "$EXIT_CODE" != "0" ]; then
  aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$TASK_ARN" \
    --query 'tasks[0].{stoppedReason: stoppedReason, container: containers[0].reason}'
  fail "the job did not exit 0"
fi

STREAM="ecs/$CONTAINER/$TASK_ID"
step "Its output in CloudWatch Logs: $LOG_GROUP, stream $STREAM (logs get-log-events)"
aws logs get-log-events \
  --log-group-name "$LOG_GROUP" \
  --log-stream-name "$STREAM" \
  --start-from-head \
  --query 'events[].[message]' --output text | sed 's/^/   | /'

step "The same lines found by a filter pattern (logs filter-log-events '\"seed job\"')"
aws logs filter-log-events \
  --log-group-name "$LOG_GROUP" \
  --log-stream-names "$STREAM" \
  --filter-pattern '"seed job"' \
  --query 'events[].[message]' --output text | sed 's/^/   | /'

cat <<TEXT

Done. The rule '$RULE' keeps starting $FAMILY every minute. Watch it with
  $AWS_CLI --endpoint-url $ENDPOINT ecs list-tasks --cluster $CLUSTER --started-by events-rule/$RULE --desired-status STOPPED
  $AWS_CLI --endpoint-url $ENDPOINT logs tail $LOG_GROUP --follow
and stop it with
  $AWS_CLI --endpoint-url $ENDPOINT events remove-targets --rule $RULE --ids $TARGET_ID
  $AWS_CLI --endpoint-url $ENDPOINT events delete-rule --name $RULE
TEXT
