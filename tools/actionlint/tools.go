//go:build tools

// Package tools pins actionlint (built by tools/build.sh actionlint), the linter the GitHub workflow of this
// project must pass, so `go mod tidy` keeps its requirements.
package tools

import _ "github.com/rhysd/actionlint/cmd/actionlint"
