//go:build tools

// Package tools pins kubeconform (built by tools/build.sh kubeconform), the schema validator that
// scripts/checkers.sh runs with -strict over every environment's dist/.
package tools

import _ "github.com/yannh/kubeconform/cmd/kubeconform"
