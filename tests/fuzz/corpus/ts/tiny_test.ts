@problemName Tiny
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true up down flat
@data
0,1,2,3,4,5,6,7,8:0,1,2,3,4,5,6,7,8:up
7:?,1:flat
5,4,3,2,1:1e0,+2,3.0,4,5:down
