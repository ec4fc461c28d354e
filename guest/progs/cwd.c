#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include "mmulab.h"
int main(void){ char buf[256]; mkdir("d1",0755); mkdir("d1/d2",0755);
 printf("chdir %d\n", chdir("d1")); getcwd(buf,sizeof buf); const char*b=strrchr(buf,'/'); printf("cwd ends %s\n", b);
 int fd=open("d2/f.txt",O_CREAT|O_WRONLY|O_TRUNC,0644); write(fd,"hi\n",3); close(fd);
 chdir("d2"); fd=open("f.txt",O_RDONLY); char c[4]={0}; read(fd,c,3); printf("read %s", c); close(fd);
 printf("chdir nonexist %d\n", chdir("nope")); chdir(".."); chdir("..");
 unlink("d1/d2/f.txt"); rmdir("d1/d2"); rmdir("d1"); printf("done\n"); return 0;}
