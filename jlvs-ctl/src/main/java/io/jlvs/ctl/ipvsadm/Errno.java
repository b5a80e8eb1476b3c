package io.jlvs.ctl.ipvsadm;

/** The errno values the IPVS control calls return, with glibc's {@code strerror} text. */
enum Errno {
    EPERM("Operation not permitted"),
    ENOENT("No such file or directory"),
    ESRCH("No such process"),
    ENOMEM("Cannot allocate memory"),
    EEXIST("File exists"),
    ENODEV("No such device"),
    EINVAL("Invalid argument"),
    ERANGE("Numerical result out of range"),
    EMSGSIZE("Message too long"),
    ENOPROTOOPT("Protocol not available"),
    EOPNOTSUPP("Operation not supported"),
    EAFNOSUPPORT("Address family not supported by protocol");

    final String strerror;

    Errno(String strerror) { this.strerror = strerror; }
}
