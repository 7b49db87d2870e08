variable "project" {
  description = "The project that runs the Dataflow jobs and the Cloud Scheduler job."
  type        = string
}

variable "region" {
  description = "Dataflow region of the jobs (the flexTemplates:launch location), e.g. europe-west1."
  type        = string
}

variable "scheduler_region" {
  description = "Region of the Cloud Scheduler job; null: the same as region. Cloud Scheduler is not in every Dataflow region."
  type        = string
  default     = null
}

variable "name" {
  description = "Name of this mirror: used for the service account, the Scheduler job and the Dataflow job name (one job at a time per name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.name))
    error_message = "name must be 6 to 30 characters of lowercase letters, digits and dashes, starting with a letter (a service account ID)."
  }
}

variable "template_spec_gcs_path" {
  description = "The Flex Template spec that `gcloud dataflow flex-template build` wrote, gs://bucket/path.json."
  type        = string

  validation {
    condition     = can(regex("^gs://[a-z0-9][-a-z0-9._]{1,220}[a-z0-9]/.+$", var.template_spec_gcs_path))
    error_message = "template_spec_gcs_path must be gs://bucket/path."
  }
}

variable "template_image_repository" {
  description = "Artifact Registry repository of the template's launcher image, projects/P/locations/L/repositories/R; the service account is granted reader on it. null: grant it yourself (or the image is readable already)."
  type        = string
  default     = null

  validation {
    condition     = var.template_image_repository == null || can(regex("^projects/[^/]+/locations/[^/]+/repositories/[^/]+$", var.template_image_repository))
    error_message = "template_image_repository must be projects/P/locations/L/repositories/R."
  }
}

variable "temp_location" {
  description = "gs://bucket/prefix for Dataflow's temporary and staging files (the jar is staged under <temp_location>/staging). The service account gets object admin on this bucket."
  type        = string

  validation {
    condition     = can(regex("^gs://[a-z0-9][-a-z0-9._]{1,220}[a-z0-9](/.*)?$", var.temp_location))
    error_message = "temp_location must be gs://bucket[/prefix]."
  }
}

variable "source_log" {
  description = "The log to mirror (launcher option --source): an http(s):// URL prefix or gs://bucket/prefix. A gs:// source's bucket gets object viewer for the service account."
  type        = string

  validation {
    condition     = can(regex("^(https?://|gs://)[^ ]+$", var.source_log))
    error_message = "source_log must be an http(s):// URL prefix or gs://bucket/prefix: the workers cannot read a local directory."
  }
}

variable "destination" {
  description = "The mirror (launcher option --destination): gs://bucket/prefix. The service account gets object admin on the bucket."
  type        = string

  validation {
    condition     = can(regex("^gs://[a-z0-9][-a-z0-9._]{1,220}[a-z0-9](/.*)?$", var.destination))
    error_message = "destination must be gs://bucket[/prefix]."
  }
}

variable "create_destination_bucket" {
  description = "Create the destination bucket (uniform bucket-level access, public access prevented) instead of using an existing one."
  type        = bool
  default     = false
}

variable "destination_bucket_location" {
  description = "Location of a created destination bucket; null: the Dataflow region."
  type        = string
  default     = null
}

variable "source_verifier_key" {
  description = "The source log's signed-note verifier key, <name>+<key ID hex>+<base64 key> (launcher option --sourceVerifierKey). Give this or source_public_key."
  type        = string
  default     = null
}

variable "source_public_key" {
  description = "A static-ct source log's public key, base64 DER SubjectPublicKeyInfo (launcher option --sourcePublicKey)."
  type        = string
  default     = null
}

variable "log_format" {
  description = "tlog-tiles or static-ct (launcher option --format); null: the launcher's default, tlog-tiles."
  type        = string
  default     = null

  validation {
    condition     = var.log_format == null || contains(["tlog-tiles", "static-ct"], coalesce(var.log_format, "tlog-tiles"))
    error_message = "log_format must be tlog-tiles or static-ct."
  }
}

variable "witness_keys" {
  description = "Verifier keys of witnesses whose cosignatures the checkpoint must carry (launcher option --witnessKey)."
  type        = list(string)
  default     = []
}

variable "witness_quorum" {
  description = "How many of witness_keys must have cosigned (launcher option --witnessQuorum); 0: no check."
  type        = number
  default     = 0
}

variable "tessera_spanner_database" {
  description = "Tessera on Google Cloud takes the destination over: its Spanner database, projects/P/instances/I/databases/D (launcher option --tesseraSpannerDatabase). The service account gets roles/spanner.databaseUser on it. null: no Spanner state."
  type        = string
  default     = null

  validation {
    condition     = var.tessera_spanner_database == null || can(regex("^projects/[^/]+/instances/[^/]+/databases/[^/]+$", coalesce(var.tessera_spanner_database, "-")))
    error_message = "tessera_spanner_database must be projects/P/instances/I/databases/D."
  }
}

variable "tessera_spanner_table_prefix" {
  description = "Prefix of Tessera's Spanner table names (launcher option --tesseraSpannerTablePrefix); null: none."
  type        = string
  default     = null
}

variable "schedule" {
  description = "When to launch a mirror run, in cron syntax, e.g. \"17 * * * *\" (hourly). A launch while the previous job still runs fails (same job name) and waits for the next tick."
  type        = string
  default     = "17 * * * *"
}

variable "time_zone" {
  description = "Time zone of schedule."
  type        = string
  default     = "Etc/UTC"
}

variable "max_workers" {
  description = "Most Dataflow workers a run may scale to."
  type        = number
  default     = 10
}

variable "machine_type" {
  description = "Worker machine type; null: Dataflow's default."
  type        = string
  default     = null
}

variable "network" {
  description = "VPC network of the workers; null: default."
  type        = string
  default     = null
}

variable "subnetwork" {
  description = "Subnetwork of the workers (regions/R/subnetworks/S or a URL); null: default."
  type        = string
  default     = null
}

variable "private_worker_ips" {
  description = "Workers without public IPs (WORKER_IP_PRIVATE): the subnetwork then needs Private Google Access, and an HTTP source needs Cloud NAT."
  type        = bool
  default     = false
}

variable "launcher_role" {
  description = "Role that lets the service account launch Dataflow jobs (dataflow.jobs.create). roles/dataflow.developer is the smallest predefined one; a custom role ID (projects/P/roles/R) can be given instead."
  type        = string
  default     = "roles/dataflow.developer"
}

variable "enable_apis" {
  description = "Enable the Dataflow, Cloud Scheduler and IAM APIs in the project (never disabled on destroy)."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Labels for the Dataflow jobs and a created bucket."
  type        = map(string)
  default     = {}
}
