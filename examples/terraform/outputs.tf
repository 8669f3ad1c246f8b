output "cluster_arn" {
  value = aws_ecs_cluster.main.arn
}

output "log_group" {
  value = aws_cloudwatch_log_group.job.name
}

output "rule_arn" {
  value = aws_cloudwatch_event_rule.schedule.arn
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.job.arn
}

output "vpc_id" {
  value = aws_vpc.main.id
}
