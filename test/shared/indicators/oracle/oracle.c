/* Out-of-tree TA-Lib oracle used to generate ../talib-reference.ts and to cross-check shared/indicators.
 * Build and use: see README.md beside this file. Reads int32 n, then open, high, low, close, volume, x
 * (n doubles each) from argv[1]; writes the outputs, NaN-padded to n, to argv[2]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "ta_libc.h"
static double *rd(FILE *f, int n){ double *a=malloc(sizeof(double)*(n>0?n:1)); if(fread(a,sizeof(double),n,f)!=(size_t)n){fprintf(stderr,"short read\n");exit(2);} return a; }
static void wr(FILE *f, const double *a, int n, int beg, int nb){ for(int i=0;i<n;i++){ double v = (i>=beg && i<beg+nb)? a[i-beg] : NAN; fwrite(&v,sizeof(double),1,f);} }
int main(int argc,char**argv){
  /* argv: in out func p1 p2 p3 ; file: int32 n then open high low close volume x */
  FILE *f=fopen(argv[1],"rb"); int n; fread(&n,4,1,f);
  double *o=rd(f,n),*h=rd(f,n),*l=rd(f,n),*c=rd(f,n),*v=rd(f,n),*x=rd(f,n); fclose(f);
  const char*fn=argv[3]; double p1=argc>4?atof(argv[4]):0,p2=argc>5?atof(argv[5]):0,p3=argc>6?atof(argv[6]):0;
  int P1=(int)p1,P2=(int)p2,P3=(int)p3;
  double *a=calloc(n+1,8),*b=calloc(n+1,8),*d=calloc(n+1,8); int *ia=calloc(n+1,sizeof(int));
  int beg=0,nb=0,outs=1; TA_RetCode rc=TA_SUCCESS;
  TA_Initialize();
  int e=n-1;
  if(n==0){ nb=0; }
  else if(!strcmp(fn,"sma")) rc=TA_SMA(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"ema")) rc=TA_EMA(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"wma")) rc=TA_WMA(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"rsi")) rc=TA_RSI(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"macd")){ rc=TA_MACD(0,e,x,P1,P2,P3,&beg,&nb,a,b,d); outs=3; }
  else if(!strcmp(fn,"cci")) rc=TA_CCI(0,e,h,l,c,P1,&beg,&nb,a);
  else if(!strcmp(fn,"atr")) rc=TA_ATR(0,e,h,l,c,P1,&beg,&nb,a);
  else if(!strcmp(fn,"trange")) rc=TA_TRANGE(0,e,h,l,c,&beg,&nb,a);
  else if(!strcmp(fn,"bbands")){ rc=TA_BBANDS(0,e,x,P1,p2,p3,TA_MAType_SMA,&beg,&nb,a,b,d); outs=3; }
  else if(!strcmp(fn,"stoch")){ rc=TA_STOCH(0,e,h,l,c,P1,P2,TA_MAType_SMA,P3,TA_MAType_SMA,&beg,&nb,a,b); outs=2; }
  else if(!strcmp(fn,"adx")) rc=TA_ADX(0,e,h,l,c,P1,&beg,&nb,a);
  else if(!strcmp(fn,"obv")) rc=TA_OBV(0,e,c,v,&beg,&nb,a);
  else if(!strcmp(fn,"mfi")) rc=TA_MFI(0,e,h,l,c,v,P1,&beg,&nb,a);
  else if(!strcmp(fn,"willr")) rc=TA_WILLR(0,e,h,l,c,P1,&beg,&nb,a);
  else if(!strcmp(fn,"roc")) rc=TA_ROC(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"mom")) rc=TA_MOM(0,e,x,P1,&beg,&nb,a);
  else if(!strcmp(fn,"engulfing")){ rc=TA_CDLENGULFING(0,e,o,h,l,c,&beg,&nb,ia); for(int i=0;i<nb;i++) a[i]=ia[i]; }
  else { fprintf(stderr,"unknown %s\n",fn); return 3; }
  if(rc!=TA_SUCCESS){ fprintf(stderr,"rc=%d\n",rc); return 4; }
  FILE *g=fopen(argv[2],"wb"); wr(g,a,n,beg,nb); if(outs>1) wr(g,b,n,beg,nb); if(outs>2) wr(g,d,n,beg,nb); fclose(g);
  printf("%d %d\n",beg,nb); return 0;
}
