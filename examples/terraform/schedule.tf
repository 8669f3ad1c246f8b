resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${var.name}-schedule"
  description         = "Runs ${var.name} on ${var.schedule}"
  schedule_expression = var.schedule
}

resource "aws_cloudwatch_event_target" "run_job" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_ecs_cluster.main.arn
  role_arn = aws_iam_role.events.arn

  ecs_target {
    task_definition_arn = aws_ecs_task_definition.job.arn
    task_count          = 1
    launch_type         = "FARGATE"
    platform_version    = "LATEST"
    propagate_tags      = "TASK_DEFINITION"

    network_configuration {
      subnets          = aws_subnet.public[*].id
      security_groups  = [aws_security_group.tasks.id]
      assign_public_ip = true
    }
  }
}
