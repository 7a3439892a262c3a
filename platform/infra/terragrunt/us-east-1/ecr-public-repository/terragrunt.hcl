# The ECR Public repository that mirrors mcr.microsoft.com/devcontainers/base.
# It lives in us-east-1 because the ECR Public repository API exists only there;
# images are still pulled worldwide through public.ecr.aws.
#
# The repository name is the tasks' DEPLOY_REPOSITORY_NAME setting (default
# caylent-solutions/devcontainer-base, see .env.example), so the name doctor,
# output, import and destroy's confirmation use is the one Terraform manages.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../terraform-modules//ecr-public-repository"
}

inputs = {
  repository_name = get_env("DEPLOY_REPOSITORY_NAME")

  description = "Mirror of mcr.microsoft.com/devcontainers/base for global low-latency pulls"

  # Gallery badge names.
  operating_systems = ["Linux"]
  architectures     = ["x86-64", "ARM 64"]

  about_text = <<-MARKDOWN
    ## Dev Container base image, mirrored

    This repository is a mirror of
    [`mcr.microsoft.com/devcontainers/base`](https://github.com/devcontainers/images),
    the general-purpose base image of the Dev Containers project: a Linux image
    with a non-root user and common command-line tools, meant as the starting point
    of a `devcontainer.json` development environment.

    It is served from Amazon ECR Public, whose CloudFront distribution gives
    low-latency pulls in regions where the upstream registry is slow, such as South
    America, Africa and South-East Asia.

    - **Upstream:** `mcr.microsoft.com/devcontainers/base`. The image content is the
      upstream's; report problems with the image itself to the Dev Containers
      project.
    - **Tags:** upstream tag names, for example `latest`; the Image tags tab lists
      the ones available here.
    - **Platforms:** `linux/amd64` and `linux/arm64`.
  MARKDOWN

  usage_text = <<-MARKDOWN
    In the commands below, replace `<alias>` with this registry's alias: the path
    segment after `gallery.ecr.aws/` in this page's address. No login is needed to
    pull public images.

    ### Pull with Docker

    ```sh
    docker pull public.ecr.aws/<alias>/caylent-solutions/devcontainer-base:latest
    ```

    ### Use in a Dev Container

    Reference the image from `.devcontainer/devcontainer.json`:

    ```json
    {
      "name": "my-project",
      "image": "public.ecr.aws/<alias>/caylent-solutions/devcontainer-base:latest"
    }
    ```

    Or start a Dockerfile from it:

    ```dockerfile
    FROM public.ecr.aws/<alias>/caylent-solutions/devcontainer-base:latest
    ```

    Pin a tag other than `latest`, or a digest (`@sha256:...`), for reproducible
    environments.
  MARKDOWN
}
