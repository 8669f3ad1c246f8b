variable "name" {
  description = "Prefix of every resource (cluster, family, log group, roles, rule)."
  type        = string
  default     = "nightly-report"
}

variable "region" {
  description = "Region to deploy into."
  type        = string
  default     = "ap-northeast-1"
}

variable "image" {
  description = "Container image of the job. On cronbridge it must already be in the local container engine (nothing is pulled when it is present)."
  type        = string
  default     = "public.ecr.aws/docker/library/busybox:1.36"
}

variable "schedule" {
  description = "When the job runs: rate(...), cron(...) with AWS's six fields, or at(...)."
  type        = string
  default     = "rate(1 minute)"
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}
