// Command test-apiserver runs the real Kubernetes API server (k8s.io/kubernetes, pinned in go.mod)
// on 127.0.0.1 with an embedded etcd, for the project's cluster test tier (test/cluster/).
//
// Everything it writes lives in --dir, which the caller creates and removes:
//
//	ca.crt                     the generated certificate authority (trust it to reach the server)
//	serving.crt, serving.key   the server's certificate for 127.0.0.1 and localhost
//	service-account.key, .pub  the key that signs service-account tokens, and its public half
//	admin.token                a static token of a user in system:masters (everything allowed)
//	viewer.token               a static token of a user with no role at all (RBAC lets it only
//	                           discover the API), for testing what a user without permission sees
//	etcd/                      etcd's data
//
// No controller-manager runs: namespaces, service accounts and the like are not created for you.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	dir := flag.String("dir", "", "folder for certificates, tokens and etcd data (must exist)")
	port := flag.Int("port", 0, "the API server's HTTPS port on 127.0.0.1")
	stopOnStdinEOF := flag.Bool("stop-on-stdin-eof", false,
		"shut down when standard input closes, so the server never outlives the process that started it, and then remove --dir (its starter is gone and cannot)")
	flag.Parse()
	if *dir == "" || *port == 0 {
		fmt.Fprintln(os.Stderr, "usage: test-apiserver --dir DIR --port PORT [--stop-on-stdin-eof] [-- extra kube-apiserver flags]")
		os.Exit(2)
	}
	if err := writeCredentials(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "test-apiserver: writing credentials:", err)
		os.Exit(1)
	}
	etcd, etcdURL, err := startEtcd(filepath.Join(*dir, "etcd"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "test-apiserver: starting etcd:", err)
		os.Exit(1)
	}
	orphaned := make(chan struct{})
	if *stopOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			close(orphaned)
			// The API server handles SIGTERM itself and shuts down in order.
			_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		}()
	}

	in := func(name string) string { return filepath.Join(*dir, name) }
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(append([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(*port),
		"--tls-cert-file=" + in("serving.crt"),
		"--tls-private-key-file=" + in("serving.key"),
		"--cert-dir=" + in("certs"),
		"--token-auth-file=" + in("tokens.csv"),
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + in("service-account.pub"),
		"--service-account-signing-key-file=" + in("service-account.key"),
		// Allocated by the server, never routed: no network is touched.
		"--service-cluster-ip-range=10.96.0.0/16",
		// The default reconciler would publish 127.0.0.1 as the `kubernetes` Service's endpoint,
		// which Endpoints validation refuses (loopback); nothing here needs that Service.
		"--endpoint-reconciler-type=none",
		"--profiling=false",
	}, flag.Args()...))
	code := cli.Run(cmd)
	etcd.Close()
	select {
	case <-orphaned:
		_ = os.RemoveAll(*dir)
	default:
	}
	os.Exit(code)
}

func startEtcd(dataDir string) (*embed.Etcd, string, error) {
	clientURL, err := freeLoopbackURL()
	if err != nil {
		return nil, "", err
	}
	peerURL, err := freeLoopbackURL()
	if err != nil {
		return nil, "", err
	}
	cfg := embed.NewConfig()
	cfg.Name = "test-apiserver"
	cfg.Dir = dataDir
	cfg.ListenClientUrls = []url.URL{*clientURL}
	cfg.AdvertiseClientUrls = []url.URL{*clientURL}
	cfg.ListenPeerUrls = []url.URL{*peerURL}
	cfg.AdvertisePeerUrls = []url.URL{*peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// Throw-away test data: skipping fsync makes every write (and so every test) much faster.
	cfg.UnsafeNoFsync = true
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", err
	}
	select {
	case <-e.Server.ReadyNotify():
		return e, clientURL.String(), nil
	case err := <-e.Err():
		e.Close()
		return nil, "", err
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", fmt.Errorf("etcd was not ready after 60s")
	}
}

func freeLoopbackURL() (*url.URL, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	defer l.Close()
	return &url.URL{Scheme: "http", Host: l.Addr().String()}, nil
}

func writeCredentials(dir string) error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test-apiserver-ca"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	servingKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	servingDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "test-apiserver"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:     []string{"localhost"},
	}, ca, &servingKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	serviceAccountKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	adminToken, err := randomToken()
	if err != nil {
		return err
	}
	viewerToken, err := randomToken()
	if err != nil {
		return err
	}
	servingKeyPEM, err := privateKeyPEM(servingKey)
	if err != nil {
		return err
	}
	serviceAccountKeyPEM, err := privateKeyPEM(serviceAccountKey)
	if err != nil {
		return err
	}
	serviceAccountPublicDER, err := x509.MarshalPKIXPublicKey(&serviceAccountKey.PublicKey)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"ca.crt":              pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		"serving.crt":         pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: servingDER}),
		"serving.key":         servingKeyPEM,
		"service-account.key": serviceAccountKeyPEM,
		"service-account.pub": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: serviceAccountPublicDER}),
		"admin.token":         []byte(adminToken),
		"viewer.token":        []byte(viewerToken),
		// token,user,uid,"groups"
		"tokens.csv": []byte(adminToken + ",admin,admin,\"system:masters\"\n" + viewerToken + ",viewer,viewer\n"),
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o600); err != nil {
			return err
		}
	}
	return nil
}

func privateKeyPEM(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
