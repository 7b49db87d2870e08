# Mirrors the example log served over HTTPS into a new bucket, every hour at :17.
#   terraform init && terraform apply -var project=my-project -var template_spec=gs://...
terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 5.0, < 8.0"
    }
  }
}

variable "project" {
  description = "Project to deploy into."
  type        = string
}

variable "region" {
  description = "Dataflow and Scheduler region."
  type        = string
  default     = "europe-west1"
}

variable "template_spec" {
  description = "gs:// path of the Flex Template spec built with `gcloud dataflow flex-template build`."
  type        = string
}

provider "google" {
  project = var.project
  region  = var.region
}

module "mirror" {
  source = "../../modules/scheduled-mirror"

  project                   = var.project
  region                    = var.region
  name                      = "example-log-mirror"
  template_spec_gcs_path    = var.template_spec
  temp_location             = "gs://${var.project}-dataflow-tmp/tlog-migrate"
  source_log                = "https://log.example.com/tlog-migrate/example/"
  source_verifier_key       = "example.com/tlog-migrate/example+1b6554d9+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
  destination               = "gs://${var.project}-example-log-mirror/log"
  create_destination_bucket = true
  schedule                  = "17 * * * *"
  max_workers               = 4
  labels                    = { app = "tlog-migrate" }
}

output "service_account" {
  value = module.mirror.service_account_email
}

output "scheduler_job" {
  value = module.mirror.scheduler_job_id
}
