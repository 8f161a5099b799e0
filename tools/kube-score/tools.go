//go:build tools

// Package tools pins kube-score (built by tools/build.sh kube-score), the static checker of
// Kubernetes objects that scripts/checkers.sh runs over every environment's dist/.
package tools

import _ "github.com/zegl/kube-score/cmd/kube-score"
