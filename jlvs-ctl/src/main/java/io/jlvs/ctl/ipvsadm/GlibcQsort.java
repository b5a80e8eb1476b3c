package io.jlvs.ctl.ipvsadm;

import java.util.List;

/**
 * glibc's {@code qsort} as ipvsadm gets it: a top-down merge sort ({@code msort_with_tmp}) that takes from the
 * left run while {@code cmp(left, right) <= 0}. The exact algorithm matters because ipvsadm's comparators
 * subtract unsigned 32-bit addresses into an int, so they are not a total order for addresses more than 2^31
 * apart (10.0.0.1 sorts after 192.0.2.1); any other algorithm could print such services in another order.
 */
final class GlibcQsort {
    private GlibcQsort() {}

    /** Three-way comparison as ipvsadm's C comparators return it. */
    interface Cmp<T> {
        int compare(T a, T b);
    }

    static <T> void sort(List<T> list, Cmp<T> cmp) {
        @SuppressWarnings("unchecked")
        T[] a = (T[]) list.toArray();
        @SuppressWarnings("unchecked")
        T[] tmp = (T[]) new Object[a.length];
        msort(a, 0, a.length, tmp, cmp);
        for (int i = 0; i < a.length; i++) list.set(i, a[i]);
    }

    private static <T> void msort(T[] b, int from, int n, T[] tmp, Cmp<T> cmp) {
        if (n <= 1) return;
        int n1 = n / 2, n2 = n - n1;
        int b1 = from, b2 = from + n1;
        msort(b, b1, n1, tmp, cmp);
        msort(b, b2, n2, tmp, cmp);
        int t = 0;
        while (n1 > 0 && n2 > 0) {
            if (cmp.compare(b[b1], b[b2]) <= 0) {
                tmp[t++] = b[b1++];
                n1--;
            } else {
                tmp[t++] = b[b2++];
                n2--;
            }
        }
        while (n1 > 0) {                       // what is left of the right run is already in place
            tmp[t++] = b[b1++];
            n1--;
        }
        System.arraycopy(tmp, 0, b, from, t);
    }
}
