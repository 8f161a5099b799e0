//go:build tools

// The Pulumi CLI (the engine), at the version of @pulumi/pulumi in package.json.
// Built by tools/build.sh pulumi; the Node.js language host is not served by the
// module proxy, see bootstrap/README.md.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
