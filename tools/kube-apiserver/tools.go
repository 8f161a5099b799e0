//go:build tools

// Keeps the programs' modules in go.mod for `go mod tidy`; the command itself is cmd/test-apiserver.
package tools

import (
	_ "go.etcd.io/etcd/server/v3/embed"
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
)
