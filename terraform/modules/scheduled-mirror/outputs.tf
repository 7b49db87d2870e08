output "service_account_email" {
  description = "The account the Scheduler launches as and the Dataflow job runs as."
  value       = google_service_account.mirror.email
}

output "scheduler_job_id" {
  description = "The Cloud Scheduler job; `gcloud scheduler jobs run` it to mirror now."
  value       = google_cloud_scheduler_job.mirror.id
}

output "launch_uri" {
  description = "The flexTemplates:launch endpoint the Scheduler POSTs to."
  value       = local.launch_uri
}

output "launch_body" {
  description = "The JSON body of each launch (parameters are launcher options)."
  value       = jsonencode(local.launch_body)
}

output "destination_bucket" {
  description = "The destination bucket (created here or not)."
  value       = local.destination_bucket
}
