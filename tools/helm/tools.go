//go:build tools

// Package tools pins helm 3 (built by tools/build.sh helm) so `go mod tidy` keeps its requirements.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
