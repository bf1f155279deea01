package dev.tollgate.proxy.upstream;

import okhttp3.Call;

/** The client an upstream call is for, watched while Groq works: it cancels the call when the client leaves. */
public interface ClientWatch {
    /** The upstream call now running, cancelled when the client leaves (at once if it already has). */
    void attach(Call call);

    boolean clientLeft();
}
