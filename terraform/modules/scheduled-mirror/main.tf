# A scheduled, verified mirror of a transparency log: Cloud Scheduler launches the tlog-migrate Flex
# Template on a cron schedule; each run copies what the source added since the last one.

locals {
  bucket_pattern     = "^gs://([a-z0-9][-a-z0-9._]{1,220}[a-z0-9])(/.*)?$"
  destination_bucket = regex(local.bucket_pattern, var.destination)[0]
  temp_bucket        = regex(local.bucket_pattern, var.temp_location)[0]
  template_bucket    = regex(local.bucket_pattern, var.template_spec_gcs_path)[0]
  source_bucket      = startswith(var.source_log, "gs://") ? regex(local.bucket_pattern, var.source_log)[0] : null
  scheduler_region   = coalesce(var.scheduler_region, var.region)

  # The launcher's options, by their names in MigrateOptions (and in launcher/flex-template/
  # metadata.json). terraform/check.sh checks these keys against that file. Unset ones are left out.
  launcher_parameters = {
    source            = var.source_log
    destination       = var.destination
    sourceVerifierKey = var.source_verifier_key
    sourcePublicKey   = var.source_public_key
    format            = var.log_format
    witnessKey        = length(var.witness_keys) == 0 ? null : join(",", var.witness_keys)
    witnessQuorum     = var.witness_quorum == 0 ? null : tostring(var.witness_quorum)

    tesseraSpannerDatabase    = var.tessera_spanner_database
    tesseraSpannerTablePrefix = var.tessera_spanner_table_prefix
  }
  parameters = { for name, value in local.launcher_parameters : name => value if value != null }

  # FlexTemplateRuntimeEnvironment: where and as whom the job runs.
  environment = { for name, value in {
    serviceAccountEmail  = google_service_account.mirror.email
    tempLocation         = var.temp_location
    stagingLocation      = "${trimsuffix(var.temp_location, "/")}/staging"
    maxWorkers           = var.max_workers
    machineType          = var.machine_type
    network              = var.network
    subnetwork           = var.subnetwork
    ipConfiguration      = var.private_worker_ips ? "WORKER_IP_PRIVATE" : null
    additionalUserLabels = length(var.labels) == 0 ? null : var.labels
  } : name => value if value != null }

  launch_uri = "https://dataflow.googleapis.com/v1b3/projects/${var.project}/locations/${var.region}/flexTemplates:launch"
  launch_body = {
    launchParameter = {
      # A fixed name: Dataflow refuses a second active job of the same name, so runs never overlap.
      jobName              = var.name
      containerSpecGcsPath = var.template_spec_gcs_path
      parameters           = local.parameters
      environment          = local.environment
    }
  }
}

resource "google_project_service" "apis" {
  for_each = var.enable_apis ? toset(["dataflow.googleapis.com", "cloudscheduler.googleapis.com", "iam.googleapis.com"]) : toset([])

  project            = var.project
  service            = each.value
  disable_on_destroy = false
}

# The job's identity: the Scheduler's OAuth token, the launcher VM and the workers are all this account.
resource "google_service_account" "mirror" {
  project      = var.project
  account_id   = var.name
  display_name = "tlog-migrate mirror ${var.name}"
  description  = "Launches and runs the scheduled tlog-migrate mirror of ${var.source_log} into ${var.destination}."

  depends_on = [google_project_service.apis]
}

resource "google_project_iam_member" "dataflow_worker" {
  project = var.project
  role    = "roles/dataflow.worker"
  member  = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_project_iam_member" "launch_jobs" {
  project = var.project
  role    = var.launcher_role
  member  = "serviceAccount:${google_service_account.mirror.email}"
}

# Launching a job that runs as the account needs actAs on it, even for the account itself.
resource "google_service_account_iam_member" "act_as_self" {
  service_account_id = google_service_account.mirror.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_storage_bucket" "destination" {
  count = var.create_destination_bucket ? 1 : 0

  project                     = var.project
  name                        = local.destination_bucket
  location                    = coalesce(var.destination_bucket_location, var.region)
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels
}

resource "google_storage_bucket_iam_member" "destination_objects" {
  bucket = var.create_destination_bucket ? google_storage_bucket.destination[0].name : local.destination_bucket
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_storage_bucket_iam_member" "source_objects" {
  count = local.source_bucket == null ? 0 : 1

  bucket = local.source_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_storage_bucket_iam_member" "temp_objects" {
  bucket = local.temp_bucket
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_storage_bucket_iam_member" "template_spec" {
  count = local.template_bucket == local.temp_bucket ? 0 : 1

  bucket = local.template_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.mirror.email}"
}

# Tessera's Spanner state: read and write it, and create its tables if missing (databaseUser may
# update the schema).
resource "google_spanner_database_iam_member" "tessera_state" {
  count = var.tessera_spanner_database == null ? 0 : 1

  project  = split("/", var.tessera_spanner_database)[1]
  instance = split("/", var.tessera_spanner_database)[3]
  database = split("/", var.tessera_spanner_database)[5]
  role     = "roles/spanner.databaseUser"
  member   = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_artifact_registry_repository_iam_member" "template_image" {
  count = var.template_image_repository == null ? 0 : 1

  project    = split("/", var.template_image_repository)[1]
  location   = split("/", var.template_image_repository)[3]
  repository = split("/", var.template_image_repository)[5]
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.mirror.email}"
}

resource "google_cloud_scheduler_job" "mirror" {
  project     = var.project
  region      = local.scheduler_region
  name        = var.name
  description = "Launches the tlog-migrate Flex Template: mirror ${var.source_log} into ${var.destination}."
  schedule    = var.schedule
  time_zone   = var.time_zone

  # A launch that fails (say, the previous run still going) is not retried: the next tick is.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = local.launch_uri
    headers     = { "Content-Type" = "application/json" }
    body        = base64encode(jsonencode(local.launch_body))

    oauth_token {
      service_account_email = google_service_account.mirror.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.launch_jobs,
    google_service_account_iam_member.act_as_self,
  ]
}
