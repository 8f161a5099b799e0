//go:build tools

// Package tools pins helm-docs (built by tools/build.sh helm-docs), the generator of Phalanx's chart READMEs,
// so `go mod tidy` keeps its requirements.
package tools

import _ "github.com/norwoodj/helm-docs/cmd/helm-docs"
