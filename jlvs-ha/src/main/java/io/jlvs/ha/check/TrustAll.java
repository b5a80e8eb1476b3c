package io.jlvs.ha.check;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS context of SSL_GET: every server certificate is accepted, as keepalived's default SSL context
 * (no {@code SSL { ca ... }} block) does not verify the peer either. A health check asks "does it answer",
 * not "is it who it claims".
 */
final class TrustAll extends X509ExtendedTrustManager {

    private static volatile SSLSocketFactory factory;

    private TrustAll() {}

    static SSLSocketFactory socketFactory() {
        SSLSocketFactory f = factory;
        if (f == null) {
            synchronized (TrustAll.class) {
                f = factory;
                if (f == null) {
                    try {
                        SSLContext ctx = SSLContext.getInstance("TLS");
                        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                        f = ctx.getSocketFactory();
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("no TLS context", e);
                    }
                    factory = f;
                }
            }
        }
        return f;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
