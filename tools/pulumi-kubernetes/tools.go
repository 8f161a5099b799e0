//go:build tools

// The Kubernetes resource provider plugin, at the version of @pulumi/kubernetes in package.json.
// Built by tools/build.sh pulumi-kubernetes (see its overlay file for the embedded schema).
package tools

import (
	_ "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"
)
