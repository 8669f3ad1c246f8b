# Three roles, as the classic system has them:
#  - the execution role ECS uses to start the task and ship its logs (AWS-managed policy);
#  - the task role the job's own code runs as (an inline policy);
#  - the role EventBridge assumes to call ecs:RunTask and pass the two roles above.
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name                = "${var.name}-execution"
  assume_role_policy  = data.aws_iam_policy_document.ecs_tasks_assume.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json

  inline_policy {
    name = "write-own-logs"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid      = "OwnLogGroup"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "${aws_cloudwatch_log_group.job.arn}:*"
      }]
    })
  }
}

resource "aws_iam_role" "events" {
  name = "${var.name}-events"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "events.amazonaws.com" }
    }]
  })

  inline_policy {
    name = "run-the-job"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "RunTaskOnOurCluster"
          Effect   = "Allow"
          Action   = "ecs:RunTask"
          # Every revision of the family: RunTask is authorised on the revision it runs.
          Resource = "${aws_ecs_task_definition.job.arn_without_revision}:*"
          Condition = {
            ArnEquals = { "ecs:cluster" = aws_ecs_cluster.main.arn }
          }
        },
        {
          Sid      = "PassTheTaskRoles"
          Effect   = "Allow"
          Action   = "iam:PassRole"
          Resource = [aws_iam_role.execution.arn, aws_iam_role.task.arn]
        },
      ]
    })
  }
}
